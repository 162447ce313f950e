namespace FazAi.Functions.Http;

/// <summary>The shape rules of values that the contract defines once and several endpoints share.</summary>
public static class Validate
{
    public const int MaxWxuinLength = 64;
    public const int MaxNameLength = 256;

    /// <summary>
    /// <c>wxuin</c>: non-empty, at most 64 characters, no control characters (already checked by the reader).
    /// </summary>
    public static string Wxuin(string? wxuin) =>
        string.IsNullOrEmpty(wxuin)
            ? throw ApiException.BadParameter("wxuin", "is required")
            : RequestParameters.CheckText("wxuin", wxuin, MaxWxuinLength);

    public static string NotBlank(string name, string value) =>
        string.IsNullOrWhiteSpace(value) ? throw ApiException.BadParameter(name, "must not be blank") : value;
}
