using System.Security.Cryptography;

namespace FazAi.Functions.Http;

/// <summary>Record ids: 24 lowercase hex characters (96 bits) from a cryptographic random source.</summary>
public static class Ids
{
    public const int Length = 24;

    public static string New() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(Length / 2));

    public static bool IsValid(string? id) =>
        id is { Length: Length } && id.All(c => char.IsAsciiDigit(c) || c is >= 'a' and <= 'f');
}
