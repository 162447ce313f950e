using System.Collections.Concurrent;
using System.Text.Json;
using Azure.Core;
using Azure.Core.Pipeline;

namespace FazAi.Functions.Tests.Infrastructure;

/// <summary>
/// Counts every HTTP request the app's storage clients send (retries included), by service, and the table
/// entities that come back, since a query's cost grows with what it reads, not only with how often it asks.
/// </summary>
public sealed class StorageRequests(int tablePort) : HttpPipelinePolicy
{
    private readonly ConcurrentQueue<string> _log = new();
    private int _entitiesRead;

    public int Count => _log.Count;

    public IReadOnlyList<string> Log => [.. _log];

    public int Tables => _log.Count(entry => entry.StartsWith("table ", StringComparison.Ordinal));

    public int Blobs => _log.Count(entry => entry.StartsWith("blob ", StringComparison.Ordinal));

    public int EntitiesRead => Volatile.Read(ref _entitiesRead);

    public void Reset()
    {
        _log.Clear();
        Interlocked.Exchange(ref _entitiesRead, 0);
    }

    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        Record(message);
        ProcessNext(message, pipeline);
        CountEntities(message);
    }

    public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        Record(message);
        await ProcessNextAsync(message, pipeline);
        CountEntities(message);
    }

    private void Record(HttpMessage message) => _log.Enqueue(Describe(message, tablePort));

    /// <summary>A request as one log line: <c>table POST /devstoreaccount1/materials…</c>.</summary>
    public static string Describe(HttpMessage message, int tablePort)
    {
        var uri = message.Request.Uri.ToUri();
        var service = uri.Port == tablePort ? "table" : "blob";
        return $"{service} {message.Request.Method} {Uri.UnescapeDataString(uri.PathAndQuery)}";
    }

    private void CountEntities(HttpMessage message)
    {
        if (message.Request.Uri.Port != tablePort || message.Request.Method != RequestMethod.Get ||
            message.Response.Status != 200 || message.Response.ContentStream is not MemoryStream)
        {
            return;
        }

        try
        {
            using var body = JsonDocument.Parse(message.Response.Content.ToMemory());
            var count = body.RootElement.TryGetProperty("value", out var rows) && rows.ValueKind == JsonValueKind.Array
                ? rows.GetArrayLength()
                : body.RootElement.TryGetProperty("PartitionKey", out _) ? 1 : 0;
            Interlocked.Add(ref _entitiesRead, count);
        }
        catch (JsonException)
        {
            // Not an entity answer.
        }
    }
}
