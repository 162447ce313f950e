using FazAi.Functions.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace FazAi.Functions.Materials;

/// <summary>The route of a download, <c>/user/files/{wxuin}/{type}/{name}</c>, checked and decoded.</summary>
public sealed record FileRoute(string? WxUin, string Type, string Name)
{
    /// <summary>Checks type and name before anything is read; the wxuin is checked by the token rule.</summary>
    public static FileRoute Read(HttpRequest request, string? wxuin, string? type, string? name)
    {
        if (type is null || !MaterialTypes.All.Contains(type))
        {
            throw ApiException.BadParameter("type", $"must be one of {string.Join(", ", MaterialTypes.All)}");
        }

        if (!MaterialTypes.IsName(type, name))
        {
            throw ApiException.BadParameter("name", $"is not a file name of type {type}");
        }

        var decoded = RawWxuin(request, type, name!) ??
            wxuin?.Replace("%2F", "/", StringComparison.OrdinalIgnoreCase);
        return new FileRoute(decoded, type, name!);
    }

    /// <summary>
    /// The wxuin segment as the client sent it, decoded once. ASP.NET Core decodes route values except <c>%2F</c>,
    /// which it leaves encoded so the path keeps its segments; a wxuin holding <c>/</c> (or a literal <c>%2F</c>)
    /// therefore reads back from the route value wrong, and from the raw request target exactly. Null when the
    /// server gives no raw target that ends in this type and name; the route value is used then.
    /// </summary>
    private static string? RawWxuin(HttpRequest request, string type, string name)
    {
        var target = request.HttpContext.Features.Get<IHttpRequestFeature>()?.RawTarget;
        var segments = (target ?? "").Split('?', 2)[0].Split('/');
        return segments.Length >= 3 &&
            Uri.UnescapeDataString(segments[^2]) == type &&
            Uri.UnescapeDataString(segments[^1]) == name
                ? Uri.UnescapeDataString(segments[^3])
                : null;
    }
}
