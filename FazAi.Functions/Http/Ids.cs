using System.Security.Cryptography;

namespace FazAi.Functions.Http;

/// <summary>Record ids: 24 lowercase hex characters (96 bits) from a cryptographic random source.</summary>
public static class Ids
{
    public const int Length = 24;

    /// <summary>Hex characters at the start of a tagged id that say where the record is stored.</summary>
    public const int TagLength = 4;

    public static string New() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(Length / 2));

    /// <summary>
    /// An id whose first <see cref="TagLength"/> hex characters are <paramref name="tag"/> and whose other 20 are
    /// 80 random bits: still unguessable, but a caller holding only the id can find the record's partition.
    /// </summary>
    public static string NewTagged(string tag)
    {
        if (tag.Length != TagLength || !IsHex(tag))
        {
            throw new ArgumentException($"A tag is {TagLength} lowercase hex characters.", nameof(tag));
        }

        return tag + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes((Length - TagLength) / 2));
    }

    public static bool IsValid(string? id) => id is { Length: Length } && IsHex(id);

    private static bool IsHex(string text) => text.All(c => char.IsAsciiDigit(c) || c is >= 'a' and <= 'f');
}
