using FazAi.Functions.Http;

namespace FazAi.Functions.Materials;

/// <summary>
/// The request body under the multipart reader of an upload. Until <see cref="ReachedFile"/> it fails the read that
/// passes <paramref name="limit"/> bytes: the fields before the file are read before the token is checked, and
/// nobody, token or not, gets the app to read more than that much of a body it will refuse.
/// </summary>
internal sealed class HeadLimitStream(Stream body, long limit) : ForwardReadStream
{
    private long _read;
    private bool _reachedFile;

    /// <summary>The file part has begun: from here its own limit applies, in <see cref="UploadStream"/>.</summary>
    public void ReachedFile() => _reachedFile = true;

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        _reachedFile ? body.ReadAsync(buffer, cancellationToken) : ReadHeadAsync(buffer, cancellationToken);

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
