using Azure;
using Azure.Core;
using Azure.Core.Pipeline;

namespace FazAi.Functions.Tests.Infrastructure;

/// <summary>
/// Makes chosen storage requests fail as if storage could not be reached, before they leave the app; every other
/// request goes to the real Azurite. Inert until a test calls <see cref="FailWhere"/>.
/// </summary>
public sealed class StorageFaults(int tablePort) : HttpPipelinePolicy
{
    private volatile Func<string, bool>? _fails;
    private int _failed;

    /// <summary>How many requests were failed so far.</summary>
    public int Failed => Volatile.Read(ref _failed);

    /// <summary>Fails every request whose <see cref="StorageRequests.Describe"/> line matches, until cleared.</summary>
    public void FailWhere(Func<string, bool> matches) => _fails = matches;

    public void Clear() => _fails = null;

    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        ThrowIfChosen(message);
        ProcessNext(message, pipeline);
    }

    public override ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        ThrowIfChosen(message);
        return ProcessNextAsync(message, pipeline);
    }

    private void ThrowIfChosen(HttpMessage message)
    {
        if (_fails is { } fails && fails(StorageRequests.Describe(message, tablePort)))
        {
            Interlocked.Increment(ref _failed);

            // What the transport throws when the service cannot be reached (status 0).
            throw new RequestFailedException(0, "Injected failure: storage could not be reached.");
        }
    }
}
