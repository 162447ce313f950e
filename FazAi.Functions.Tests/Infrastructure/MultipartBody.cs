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

    /// <summary>A file of <paramref name="length"/> bytes, <paramref name="head"/> then zeros, made as sent.</summary>
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

    private static async Task WriteGeneratedAsync(Stream stream, byte[] head, long length)
    {
        await stream.WriteAsync(head);
        var zeros = new byte[64 * 1024];
        for (var left = length - head.Length; left > 0; left -= zeros.Length)
        {
            await stream.WriteAsync(zeros.AsMemory(0, (int)Math.Min(zeros.Length, left)));
        }
    }
}
