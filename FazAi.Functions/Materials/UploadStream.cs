using System.Runtime.CompilerServices;
using FazAi.Functions.Http;

namespace FazAi.Functions.Materials;

/// <summary>
/// The file part of an upload as the blob client reads it: the bytes already read to recognise the format, then the
/// rest of the part straight from the request, never more than one read's worth in hand. It fails the read that
/// passes the size limit, and before it reports the end it checks the rest of the body, so the blob client only
/// completes (commits) a blob for a request that is whole and valid.
/// </summary>
internal sealed class UploadStream(
    byte[] head, Stream part, long limit, string type, Func<CancellationToken, Task> checkRest) : ForwardReadStream
{
    private int _headOffset;
    private bool _ended;

    /// <summary>Bytes of the file read so far; the file's size once the stream has ended.</summary>
    public long BytesRead { get; private set; }

    // A read that waits for the network would otherwise allocate its state machine, thousands of times per file.
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        int read;
        if (_headOffset < head.Length)
        {
            read = Math.Min(buffer.Length, head.Length - _headOffset);
            head.AsMemory(_headOffset, read).CopyTo(buffer);
            _headOffset += read;
        }
        else if (_ended || buffer.Length == 0)
        {
            return 0;
        }
        else
        {
            try
            {
                read = await part.ReadAsync(buffer, cancellationToken);
            }
            catch (Exception e) when (UploadForm.Translate(e) is { } failure)
            {
                throw failure;
            }

            if (read == 0)
            {
                await checkRest(cancellationToken);
                _ended = true;
                return 0;
            }
        }

        BytesRead += read;
        if (BytesRead > limit)
        {
            throw new ApiException(ApiFailure.TooLarge, $"The file is over the {limit}-byte limit for {type}.");
        }

        return read;
    }
}
