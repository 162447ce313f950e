using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace FazAi.Functions.Tests.Infrastructure;

/// <summary>
/// A <c>multipart/form-data</c> body written part by part as it is sent, so a test can send a file of any size
/// without holding it: a part's bytes come from a generator. Declares its length or goes chunked, and can leave out
/// the closing boundary to send a body cut short.
/// </summary>
public sealed class MultipartBody : HttpContent
{
    public const string Boundary = "----FazAiTestBoundary7MA4YWxkTrZu0gW";

    private readonly List<(string Headers, long Length, Func<Stream, Task> Write)> _parts = [];
    private bool _declareLength = true;
    private bool _closed = true;

    public MultipartBody()
    {
        Headers.ContentType = MediaTypeHeaderValue.Parse($"multipart/form-data; boundary={Boundary}");
    }

    public MultipartBody Field(string name, string value)
    {
        var bytes = Encoding.UTF8.GetBytes(value);
        return Part(
            $"Content-Disposition: form-data; name=\"{name}\"\r\n", bytes.Length, s => s.WriteAsync(bytes).AsTask());
    }

    public MultipartBody File(
        string name, byte[] bytes, string fileName = "upload.bin", string contentType = "application/octet-stream") =>
        File(name, bytes.Length, s => s.WriteAsync(bytes).AsTask(), fileName, contentType);

    /// <summary>A file of <paramref name="length"/> bytes, made as it is sent: see <see cref="Generate"/>.</summary>
    public MultipartBody GeneratedFile(string name, byte[] head, long length, string fileName = "big.mp3") =>
        File(name, length, s => WriteGeneratedAsync(s, head, length), fileName, "audio/mpeg");

    public MultipartBody File(
        string name, long length, Func<Stream, Task> write, string fileName, string contentType) =>
        Part(
            $"Content-Disposition: form-data; name=\"{name}\"; filename=\"{fileName}\"\r\n" +
            $"Content-Type: {contentType}\r\n",
            length,
            write);

    /// <summary>Sends the body chunked, without a Content-Length.</summary>
    public MultipartBody Chunked()
    {
        _declareLength = false;
        return this;
    }

    /// <summary>Leaves out the closing boundary, as a client that stopped sending would.</summary>
    public MultipartBody Unterminated()
    {
        _closed = false;
        return this;
    }

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
    {
        foreach (var (headers, _, write) in _parts)
        {
            await stream.WriteAsync(Encoding.UTF8.GetBytes(PartStart(headers)));
            await write(stream);
            await stream.WriteAsync("\r\n"u8.ToArray());
        }

        if (_closed)
        {
            await stream.WriteAsync(Encoding.UTF8.GetBytes(End));
        }
    }

    protected override bool TryComputeLength(out long length)
    {
        length = _parts.Sum(p => Encoding.UTF8.GetByteCount(PartStart(p.Headers)) + p.Length + 2) +
            (_closed ? Encoding.UTF8.GetByteCount(End) : 0);
        return _declareLength;
    }

    private const string End = $"--{Boundary}--\r\n";

    private static string PartStart(string headers) => $"--{Boundary}\r\n{headers}\r\n";

    private MultipartBody Part(string headers, long length, Func<Stream, Task> write)
    {
        _parts.Add((headers, length, write));
        return this;
    }

    /// <summary>
    /// The bytes of a generated file from <paramref name="offset"/> on: <paramref name="head"/>, then a value that
    /// changes every KiB, so a block stored out of order or twice shows.
    /// </summary>
    public static void Generate(Span<byte> chunk, long offset, byte[] head)
    {
        for (var i = 0; i < chunk.Length; i++)
        {
            var at = offset + i;
            chunk[i] = at < head.Length ? head[at] : (byte)(at / 1024 % 251);
        }
    }

    private static async Task WriteGeneratedAsync(Stream stream, byte[] head, long length)
    {
        var chunk = new byte[64 * 1024];
        for (long offset = 0; offset < length; offset += chunk.Length)
        {
            var size = (int)Math.Min(chunk.Length, length - offset);
            Generate(chunk.AsSpan(0, size), offset, head);
            await stream.WriteAsync(chunk.AsMemory(0, size));
        }
    }
}
