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

    private volatile Func<string, bool>? _losesAnswer;

    /// <summary>
    /// Lets the first matching request reach storage and take effect, then loses its answer as a dropped connection
    /// would, so the client's retry policy sends it again: a write that committed without the caller knowing.
    /// </summary>
    public void LoseAnswerOnce(Func<string, bool> matches) => _losesAnswer = matches;

    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        ThrowIfChosen(message);
        ProcessNext(message, pipeline);
        LoseAnswerIfChosen(message);
    }

    public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        ThrowIfChosen(message);
        await ProcessNextAsync(message, pipeline);
        LoseAnswerIfChosen(message);
    }

    private void LoseAnswerIfChosen(HttpMessage message)
    {
        var loses = _losesAnswer;
        if (loses is not null && loses(StorageRequests.Describe(message, tablePort)) &&
            Interlocked.CompareExchange(ref _losesAnswer, null, loses) == loses)
        {
            Interlocked.Increment(ref _failed);
            throw new IOException("Injected failure: the answer was lost after storage committed the request.");
        }
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
