using FazAi.Functions.Http;

namespace FazAi.Functions.Materials;

/// <summary>
/// The request body under the multipart reader of an upload. Until <see cref="ReachedFile"/> it fails the read that
/// passes <paramref name="limit"/> bytes: the fields before the file are read before the token is checked, and
/// nobody, token or not, gets the app to read more than that much of a body it will refuse.
/// </summary>
internal sealed class HeadLimitStream(Stream body, long limit) : Stream
{
    private long _read;
    private bool _reachedFile;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    /// <summary>The file part has begun: from here its own limit applies, in <see cref="UploadStream"/>.</summary>
    public void ReachedFile() => _reachedFile = true;

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        _reachedFile ? body.ReadAsync(buffer, cancellationToken) : ReadHeadAsync(buffer, cancellationToken);

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    // The request body allows only asynchronous reads; so does this stream.
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    private async ValueTask<int> ReadHeadAsync(Memory<byte> buffer, CancellationToken cancel)
    {
        var read = await body.ReadAsync(buffer, cancel);
        _read += read;
        return _read <= limit
            ? read
            : throw new ApiException(
                ApiFailure.TooLarge, $"The fields before the file part 'pics' are over {UploadForm.Allowance} bytes.");
    }
}
