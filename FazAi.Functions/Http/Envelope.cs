using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace FazAi.Functions.Http;

/// <summary>The response shape of every endpoint: <c>{"code", "info", "value"}</c>.</summary>
public static class Envelope
{
    public const string SuccessInfo = "请求成功";

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        // Responses are JSON only, never embedded in HTML, so non-ASCII text is written as itself.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        Converters = { new WireTimeConverter() },
    };

    public static IActionResult Ok(object? value) => new EnvelopeResult(StatusCodes.Status200OK, 0, SuccessInfo, value);

    public static IActionResult Error(ApiFailure failure, string info)
    {
        var (status, code) = StatusOf(failure);
        return new EnvelopeResult(status, code, info, null);
    }

    /// <summary>The one mapping from failure kinds to HTTP status and envelope code.</summary>
    public static (int Status, int Code) StatusOf(ApiFailure failure) => failure switch
    {
        ApiFailure.BadParameter => (400, 1),
        ApiFailure.Unauthorized => (401, 3),
        ApiFailure.Forbidden => (403, 3),
        ApiFailure.NotFound => (404, 6),
        ApiFailure.Conflict => (409, 7),
        ApiFailure.TooLarge => (413, 8),
        ApiFailure.UnsupportedMedia => (415, 8),
        ApiFailure.Unavailable => (503, 5),
        _ => (500, 5),
    };
}

/// <summary>Writes one envelope as <c>application/json; charset=utf-8</c>.</summary>
public sealed class EnvelopeResult(int status, int code, string info, object? value) : IActionResult
{
    public int Status { get; } = status;

    public int Code { get; } = code;

    public string Info { get; } = info;

    public object? Value { get; } = value;

    public async Task ExecuteResultAsync(ActionContext context)
    {
        var response = context.HttpContext.Response;
        response.StatusCode = Status;
        response.ContentType = "application/json; charset=utf-8";
        var body = new Body(Code, Info, Value);
        await JsonSerializer.SerializeAsync(response.Body, body, Envelope.Json, context.HttpContext.RequestAborted);
    }

    private sealed record Body(
        [property: JsonPropertyName("code")] int Code,
        [property: JsonPropertyName("info")] string Info,
        [property: JsonPropertyName("value")] object? Value);
}
