using System.Collections.Concurrent;
using Azure.Core;
using Azure.Core.Pipeline;

namespace FazAi.Functions.Tests.Infrastructure;

/// <summary>Counts every HTTP request the app's storage clients send (retries included), by service.</summary>
public sealed class StorageRequests(int tablePort) : HttpPipelinePolicy
{
    private readonly ConcurrentQueue<string> _log = new();

    public int Count => _log.Count;

    public IReadOnlyList<string> Log => [.. _log];

    public int Tables => _log.Count(entry => entry.StartsWith("table ", StringComparison.Ordinal));

    public int Blobs => _log.Count(entry => entry.StartsWith("blob ", StringComparison.Ordinal));

    public void Reset() => _log.Clear();

    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        Record(message);
        ProcessNext(message, pipeline);
    }

    public override ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        Record(message);
        return ProcessNextAsync(message, pipeline);
    }

    private void Record(HttpMessage message) => _log.Enqueue(Describe(message, tablePort));

    /// <summary>A request as one log line: <c>table POST /devstoreaccount1/materials…</c>.</summary>
    public static string Describe(HttpMessage message, int tablePort)
    {
        var uri = message.Request.Uri.ToUri();
        var service = uri.Port == tablePort ? "table" : "blob";
        return $"{service} {message.Request.Method} {Uri.UnescapeDataString(uri.PathAndQuery)}";
    }
}
