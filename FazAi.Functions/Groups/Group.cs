using System.Text.Json;
using System.Text.Json.Serialization;
using FazAi.Functions.Http;
using FazAi.Functions.Storage;

namespace FazAi.Functions.Groups;

/// <summary>A chat of an account as the API shows it.</summary>
public sealed record Group(
    [property: JsonPropertyName("_id")] string Id,
    [property: JsonPropertyName("wxuin")] string WxUin,
    [property: JsonPropertyName("wxname")] string WxName,
    [property: JsonPropertyName("groupname")] string GroupName,
    [property: JsonPropertyName("groupsign")] string GroupSign);

/// <summary>One chat as a window sends it.</summary>
public sealed record GroupInput(string Name, string Sign)
{
    public const int MaxNameLength = 256;
    public const int MaxSignLength = 256;
    public const int MaxCount = 10_000;

    /// <summary>Parses <c>[{groupname, groupsign}]</c>; duplicate signs collapse, the last one winning.</summary>
    public static IReadOnlyList<GroupInput>? ParseOptional(JsonElement? array, string parameter)
    {
        if (array is not { } items)
        {
            return null;
        }

        if (items.GetArrayLength() > MaxCount)
        {
            throw ApiException.BadParameter(parameter, $"holds more than {MaxCount} groups");
        }

        var bySign = new Dictionary<string, GroupInput>(StringComparer.Ordinal);
        var index = 0;
        foreach (var item in items.EnumerateArray())
        {
            var where = $"{parameter}[{index++}]";
            if (item.ValueKind != JsonValueKind.Object)
            {
                throw ApiException.BadParameter(where, "must be an object with groupname and groupsign");
            }

            var sign = TextOf(item, "groupsign", where, MaxSignLength);
            if (string.IsNullOrEmpty(sign))
            {
                throw ApiException.BadParameter($"{where}.groupsign", "is required");
            }

            var name = TextOf(item, "groupname", where, MaxNameLength) ?? "";
            bySign[sign] = new GroupInput(name, sign);
        }

        return [.. bySign.Values];
    }

    /// <summary>A chat's name or sign in an item of a JSON array, also for message targets; null when absent.</summary>
    internal static string? TextOf(JsonElement item, string field, string where, int maxLength)
    {
        if (!item.TryGetProperty(field, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        // Group names and signs come from WeChat and may hold tabs; they are kept byte-exact.
        var name = $"{where}.{field}";
        return value.ValueKind == JsonValueKind.String
            ? RequestParameters.CheckText(name, RequestParameters.StringOf(value, name), maxLength, allowControl: true)
            : throw ApiException.BadParameter(name, "must be a string");
    }
}

/// <summary>A group row: partition = the encoded <c>wxuin</c>, row = the encoded <c>groupsign</c>.</summary>
internal sealed class GroupRow : TableRow
{
    public string Id { get; set; } = "";

    public string WxUin { get; set; } = "";

    public string WxName { get; set; } = "";

    public string GroupName { get; set; } = "";

    public string GroupSign { get; set; } = "";

    public Group ToGroup() => new(Id, WxUin, WxName, GroupName, GroupSign);
}
