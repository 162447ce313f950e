using System.Text;

namespace FazAi.Functions.Http;

/// <summary>
/// Finds the fields of a query string or urlencoded body whose value is not UTF-8 once percent-decoded. ASP.NET
/// keeps such escapes as literal text (<c>%ff</c>), which would make the byte 0xFF and the text <c>%ff</c> one
/// value; those fields are refused instead.
/// </summary>
public static class UrlEncodedText
{
    private static readonly UTF8Encoding Strict =
        new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static IReadOnlySet<string> InvalidFields(string? raw)
    {
        var invalid = new HashSet<string>(StringComparer.Ordinal);
        foreach (var pair in (raw ?? "").TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=');
            var name = equals < 0 ? pair : pair[..equals];
            var value = equals < 0 ? "" : pair[(equals + 1)..];
            if (!IsUtf8(name) || !IsUtf8(value))
            {
                invalid.Add(Uri.UnescapeDataString(name.Replace('+', ' ')));
            }
        }

        return invalid;
    }

    private static bool IsUtf8(string encoded)
    {
        if (!encoded.Contains('%'))
        {
            return true;
        }

        var bytes = new List<byte>(encoded.Length);
        for (var i = 0; i < encoded.Length; i++)
        {
            if (encoded[i] == '%' && i + 2 < encoded.Length &&
                Uri.IsHexDigit(encoded[i + 1]) && Uri.IsHexDigit(encoded[i + 2]))
            {
                bytes.Add(Convert.ToByte(encoded.Substring(i + 1, 2), 16));
                i += 2;
            }
            else
            {
                bytes.AddRange(Encoding.UTF8.GetBytes(encoded[i].ToString()));
            }
        }

        try
        {
            Strict.GetString([.. bytes]);
            return true;
        }
        catch (DecoderFallbackException)
        {
            return false;
        }
    }
}
