using System.Security.Cryptography;
using System.Text;

namespace FazAi.Functions.Storage;

/// <summary>
/// Turns client strings into PartitionKey/RowKey parts that the real service accepts. Plain values (letters, digits,
/// <c>@ _ - .</c>, up to 100 characters) stay readable; anything else becomes <c>~</c> + a SHA-256 digest, so
/// <c>/ \ # ?</c>, control characters and length never reach a key. The raw value is always kept as a property.
/// </summary>
public static class Keys
{
    private const int MaxPlainLength = 100;

    public static string Encode(string value)
    {
        if (value.Length is > 0 and <= MaxPlainLength && value.All(IsPlain))
        {
            return value;
        }

        return Digest(value);
    }

    /// <summary>The encoding of a value that is not plain: <c>~</c> + its SHA-256 digest, URL-safe base64.</summary>
    public static string Digest(string value)
    {
        var digest = SHA256.HashData(Encoding.UTF8.GetBytes(value));
        return "~" + Convert.ToBase64String(digest).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }

    /// <summary>Fixed-width, sortable text of a time: ticks since year 1 (ascending).</summary>
    public static string Ticks(DateTimeOffset time) => time.UtcTicks.ToString("D19");

    /// <summary>Fixed-width text that sorts the newest time first.</summary>
    public static string NewestFirst(DateTimeOffset time) =>
        (DateTimeOffset.MaxValue.UtcTicks - time.UtcTicks).ToString("D19");

    private static bool IsPlain(char c) => char.IsAsciiLetterOrDigit(c) || c is '@' or '_' or '-' or '.';
}
