using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace FazAi.Functions.Tests.Infrastructure;

/// <summary>A response read as the contract's envelope.</summary>
public sealed record Reply(HttpStatusCode Status, int Code, string Info, JsonNode? Value, string ContentType)
{
    public JsonObject Object =>
        Value as JsonObject ?? throw new InvalidOperationException($"value is not an object: {Value}");

    public JsonArray Array =>
        Value as JsonArray ?? throw new InvalidOperationException($"value is not an array: {Value}");

    public string Text(string field) => Object[field]!.GetValue<string>();

    public override string ToString() => $"{(int)Status} code {Code} {Info} {Value?.ToJsonString()}";
}

/// <summary>Calls the in-test host the way the window and the front end do.</summary>
public static class Wire
{
    public static async Task<Reply> ReadAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        var contentType = response.Content.Headers.ContentType?.ToString() ?? "";
        JsonObject envelope;
        try
        {
            envelope = JsonNode.Parse(body)!.AsObject();
        }
        catch (Exception e)
        {
            throw new InvalidOperationException($"Not an envelope ({(int)response.StatusCode}): {body}", e);
        }

        if (envelope.Count != 3 ||
            !envelope.ContainsKey("code") || !envelope.ContainsKey("info") || !envelope.ContainsKey("value"))
        {
            throw new InvalidOperationException($"Envelope fields wrong: {body}");
        }

        return new Reply(
            response.StatusCode,
            envelope["code"]!.GetValue<int>(),
            envelope["info"]!.GetValue<string>(),
            envelope["value"]?.DeepClone(),
            contentType);
    }

    public static async Task<Reply> PostJsonAsync(
        this HttpClient client, string path, object body, string? token = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
        return await SendAsync(client, request, token);
    }

    public static async Task<Reply> PostRawAsync(
        this HttpClient client, string path, string body, string contentType, string? token = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path)
        {
            Content = new StringContent(body, Encoding.UTF8),
        };
        request.Content.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse(contentType);
        return await SendAsync(client, request, token);
    }

    public static async Task<Reply> PostFormAsync(
        this HttpClient client, string path, IEnumerable<KeyValuePair<string, string>> fields, string? token = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path)
        {
            Content = new FormUrlEncodedContent(fields),
        };
        return await SendAsync(client, request, token);
    }

    public static async Task<Reply> GetReplyAsync(this HttpClient client, string path, string? token = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        return await SendAsync(client, request, token);
    }

    public static async Task<Reply> SendAsync(HttpClient client, HttpRequestMessage request, string? token = null)
    {
        if (token is not null)
        {
            request.Headers.Add("token", token);
        }

        using var response = await client.SendAsync(request);
        return await ReadAsync(response);
    }

    /// <summary>A query string from name/value pairs, every value escaped.</summary>
    public static string Query(string path, params (string Name, string Value)[] values) =>
        path + "?" + string.Join(
            "&", values.Select(v => $"{Uri.EscapeDataString(v.Name)}={Uri.EscapeDataString(v.Value)}"));

    public static JsonSerializerOptions Json { get; } = new(JsonSerializerDefaults.Web);
}
