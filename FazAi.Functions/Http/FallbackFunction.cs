using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace FazAi.Functions.Http;

/// <summary>
/// Answers every request no endpoint takes — an unknown path, or a known path with a method it does not serve —
/// with the envelope, so that every response of the API is one. Routing prefers any literal route to this one.
/// Paths under <c>admin</c> and <c>runtime</c> are left to the Functions host's own endpoints, which a catch-all
/// would otherwise shadow when the route prefix is empty.
/// </summary>
public sealed class FallbackFunction
{
    public const string Name = "Fallback";

    public const string Route = "{*path:regex(^(?!admin|runtime).*$)}";

    [Function(Name)]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "post", "put", "patch", "delete", "head", "options",
            Route = Route)] HttpRequest request) =>
        Task.FromResult(Envelope.Error(ApiFailure.NotFound, $"No endpoint answers {request.Method} {request.Path}."));
}
