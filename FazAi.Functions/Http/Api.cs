using Azure;
using FazAi.Functions.Logins;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FazAi.Functions.Http;

/// <summary>
/// Runs an endpoint: reads its parameters, checks the token where the endpoint needs one, calls the work and
/// answers with the envelope. This is the one place where failures become HTTP status and code.
/// </summary>
public sealed class Api(IOptions<FazAiOptions> options, Sessions sessions, ILogger<Api> logger)
{
    /// <summary>An endpoint open to its caller (window or anonymous).</summary>
    public Task<IActionResult> HandleAsync(
        HttpRequest request, Func<RequestParameters, CancellationToken, Task<object?>> work) =>
        RunAsync(request, async cancel =>
        {
            var parameters = await RequestParameters.ReadAsync(request, options.Value.MaxBodyBytes, cancel);
            return await work(parameters, cancel);
        });

    /// <summary>A <c>/user/</c> endpoint: the token must be an online login of the request's <c>wxuin</c>.</summary>
    public Task<IActionResult> HandleUserAsync(
        HttpRequest request, Func<RequestParameters, Account, CancellationToken, Task<object?>> work) =>
        RunAsync(request, async cancel =>
        {
            var token = Sessions.TokenOf(request);
            var parameters = await RequestParameters.ReadAsync(request, options.Value.MaxBodyBytes, cancel);
            var wxuin = Validate.Wxuin(parameters.RequiredString("wxuin", Validate.MaxWxuinLength));
            var account = await sessions.AuthorizeAsync(token, wxuin, cancel);
            return await work(parameters, account, cancel);
        });

    /// <summary>
    /// A <c>/user/</c> endpoint that must read part of its request (a multipart head, a raw path) to learn the
    /// <c>wxuin</c>: <paramref name="read"/> runs after the token's shape is checked and before the token is
    /// authorised, so the rest of the request is touched only for the right account.
    /// </summary>
    public Task<IActionResult> HandleUserAsync<T>(
        HttpRequest request,
        Func<CancellationToken, Task<T>> read,
        Func<T, string?> wxuinOf,
        Func<T, Account, CancellationToken, Task<object?>> work) =>
        RunAsync(request, async cancel =>
        {
            var token = Sessions.TokenOf(request);
            var input = await read(cancel);
            var account = await sessions.AuthorizeAsync(token, Validate.Wxuin(wxuinOf(input)), cancel);
            return await work(input, account, cancel);
        });

    private async Task<IActionResult> RunAsync(HttpRequest request, Func<CancellationToken, Task<object?>> run)
    {
        var cancel = request.HttpContext.RequestAborted;
        try
        {
            var value = await run(cancel);
            return value as IActionResult ?? Envelope.Ok(value);
        }
        catch (ApiException e)
        {
            logger.LogInformation(
                "Refused {Method} {Path}: {Failure} {Info}", request.Method, request.Path, e.Failure, e.Message);
            return Envelope.Error(e.Failure, e.Message);
        }
        catch (Exception e) when (RequestBody.Translate(e) is { } refusal)
        {
            logger.LogInformation(
                "Refused {Method} {Path}: unreadable body ({Reason})", request.Method, request.Path, e.Message);
            return Envelope.Error(refusal.Failure, refusal.Message);
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            logger.LogInformation("Caller of {Method} {Path} went away", request.Method, request.Path);
            return Envelope.Error(ApiFailure.Unavailable, "The request was cancelled.");
        }
        catch (Exception e) when (StorageFailure.IsUnavailable(e))
        {
            logger.LogWarning(
                e, "Storage unavailable for {Method} {Path} (invocation {InvocationId})",
                request.Method, request.Path, request.HttpContext.TraceIdentifier);
            return Envelope.Error(ApiFailure.Unavailable, "Storage is unavailable right now; try again shortly.");
        }
        catch (Exception e)
        {
            logger.LogError(
                e, "Unexpected failure in {Method} {Path} (invocation {InvocationId})",
                request.Method, request.Path, request.HttpContext.TraceIdentifier);
            return Envelope.Error(
                ApiFailure.Unexpected, $"Unexpected error; logged as {request.HttpContext.TraceIdentifier}.");
        }
    }
}

/// <summary>Recognises failures that mean storage could not be reached or is overloaded.</summary>
public static class StorageFailure
{
    public static bool IsUnavailable(Exception e) => e switch
    {
        RequestFailedException r => r.Status is 0 or 408 or 429 or >= 500,
        AggregateException a => a.InnerExceptions.All(IsUnavailable),
        HttpRequestException or TimeoutException or System.Net.Sockets.SocketException => true,
        // The caller's own cancellation is handled before this; what is left is a storage request timing out.
        OperationCanceledException => true,
        _ => false,
    };
}
