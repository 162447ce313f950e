namespace FazAi.Functions.Http;

/// <summary>
/// The kinds of failure a client can be told about; <see cref="Envelope"/> maps each to status and code.
/// </summary>
public enum ApiFailure
{
    BadParameter,
    Unauthorized,
    Forbidden,
    NotFound,
    Conflict,
    TooLarge,
    UnsupportedMedia,
    Unavailable,
    Unexpected,
}

/// <summary>
/// A failure with a short sentence for the client; thrown anywhere below a function, answered in one place.
/// </summary>
public sealed class ApiException(ApiFailure failure, string info) : Exception(info)
{
    public ApiFailure Failure { get; } = failure;

    public static ApiException BadParameter(string name, string problem) =>
        new(ApiFailure.BadParameter, $"Parameter '{name}' {problem}.");

    public static ApiException NotFound(string what) => new(ApiFailure.NotFound, $"{what} does not exist.");

    public static ApiException Conflict(string info) => new(ApiFailure.Conflict, info);
}
