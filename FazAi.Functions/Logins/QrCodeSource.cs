using System.Text;
using FazAi.Functions.Http;

namespace FazAi.Functions.Logins;

/// <summary>The rules for a QR code image address sent by a window.</summary>
public static class QrCodeSource
{
    public const int MaxBytes = 4096;

    /// <summary>An absolute http(s) URL or a <c>data:image/…</c> URI, at most 4 KiB.</summary>
    public static string Check(string src)
    {
        if (Encoding.UTF8.GetByteCount(src) > MaxBytes)
        {
            throw ApiException.BadParameter("src", $"is over {MaxBytes} bytes");
        }

        if (src.StartsWith("data:image/", StringComparison.OrdinalIgnoreCase))
        {
            return src.IndexOf(',') > "data:image/".Length
                ? src
                : throw ApiException.BadParameter("src", "is not a valid data:image URI");
        }

        var isWebAddress = Uri.TryCreate(src, UriKind.Absolute, out var uri) &&
            (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps) &&
            uri.Host.Length > 0 && !src.Any(char.IsWhiteSpace);
        return isWebAddress
            ? src
            : throw ApiException.BadParameter("src", "must be an http(s) URL or a data:image URI");
    }
}
