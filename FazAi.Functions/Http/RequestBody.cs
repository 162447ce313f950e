using Microsoft.AspNetCore.Http;

namespace FazAi.Functions.Http;

/// <summary>What a client is told when its request body cannot be read to the end.</summary>
public static class RequestBody
{
    /// <summary>
    /// Kestrel's own size limit (the Functions host allows 100 MiB) is a 413; broken framing, a body cut short or
    /// malformed form data is a 400. Anything else is not a body failure (null).
    /// </summary>
    public static ApiException? Translate(
        Exception e, string malformed = "The request body is malformed or cut short.") =>
        e switch
        {
            BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } =>
                new ApiException(ApiFailure.TooLarge, "The request body is over the host's size limit."),
            InvalidDataException or IOException => new ApiException(ApiFailure.BadParameter, malformed),
            _ => null,
        };
}
