using System.Text.Json.Serialization;

namespace FazAi.Functions.Logins;

/// <summary>States of a window's QR code login.</summary>
public static class LoginStatus
{
    public const string Wait = "wait";
    public const string Scanning = "scaning";
    public const string Online = "online";
    public const string Expired = "expired";
}

/// <summary>A Login as the API shows it.</summary>
public sealed record Login(
    [property: JsonPropertyName("_id")] string Id,
    [property: JsonPropertyName("src")] string Src,
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("time")] DateTimeOffset Time,
    [property: JsonPropertyName("wxname")] string? WxName,
    [property: JsonPropertyName("pgv_si")] string PgvSi,
    [property: JsonPropertyName("wxuin")] string? WxUin);

/// <summary>The account a valid token speaks for.</summary>
public sealed record Account(string WxUin, string? WxName, string LoginId);
