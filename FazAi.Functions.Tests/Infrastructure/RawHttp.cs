using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;

namespace FazAi.Functions.Tests.Infrastructure;

/// <summary>
/// HTTP/1.1 over a plain socket, for bodies the server answers before reading them to the end (over a limit). It
/// reads the answer while it sends and stops sending once answered, as a careful client would. HttpClient cannot
/// be used there: when the server then closes the connection under the body, it reports the failed write instead
/// of the answer it has already received.
/// </summary>
public static class RawHttp
{
    public static async Task<Reply> PostChunkedAsync(Uri server, string path, HttpContent body, string token)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, server.Port);
        var network = tcp.GetStream();
        var head = $"POST {path} HTTP/1.1\r\nHost: {server.Authority}\r\ntoken: {token}\r\n" +
            $"Content-Type: {body.Headers.ContentType}\r\nTransfer-Encoding: chunked\r\n\r\n";
        await network.WriteAsync(Encoding.ASCII.GetBytes(head));

        using var answered = new CancellationTokenSource();
        var sending = SendAsync(network, body, answered.Token);
        var reply = await ReadReplyAsync(network);
        await answered.CancelAsync();
        try
        {
            await sending;
        }
        catch (Exception e) when (e is IOException or OperationCanceledException)
        {
            // Stopped sending, or the server closed the connection after answering: both expected here.
        }

        return reply;
    }

    private static async Task SendAsync(Stream network, HttpContent body, CancellationToken stop)
    {
        var chunked = new ChunkedStream(network, stop);
        await body.CopyToAsync(chunked, stop);
        await chunked.EndAsync();
    }

    private static async Task<Reply> ReadReplyAsync(NetworkStream network)
    {
        var reader = new ByteReader(network);
        var statusLine = await reader.ReadLineAsync();
        var status = (HttpStatusCode)int.Parse(statusLine.Split(' ')[1]);
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        for (var line = await reader.ReadLineAsync(); line.Length > 0; line = await reader.ReadLineAsync())
        {
            var colon = line.IndexOf(':');
            headers[line[..colon]] = line[(colon + 1)..].Trim();
        }

        var content = new MemoryStream();
        if (headers.TryGetValue("Content-Length", out var length))
        {
            content.Write(await reader.ReadAsync(int.Parse(length)));
        }
        else
        {
            int size;
            while ((size = ChunkSize(await reader.ReadLineAsync())) > 0)
            {
                content.Write(await reader.ReadAsync(size));
                await reader.ReadLineAsync();
            }
        }

        using var response = new HttpResponseMessage(status) { Content = new ByteArrayContent(content.ToArray()) };
        response.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(headers["Content-Type"]);
        return await Wire.ReadAsync(response);
    }

    private static int ChunkSize(string line) => Convert.ToInt32(line.Split(';')[0], 16);

    /// <summary>Frames every write as one chunk; <see cref="EndAsync"/> sends the last, empty one.</summary>
    private sealed class ChunkedStream(Stream inner, CancellationToken stop) : Stream
    {
        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken)
        {
            stop.ThrowIfCancellationRequested();
            await inner.WriteAsync(Encoding.ASCII.GetBytes($"{buffer.Length:X}\r\n"), stop);
            await inner.WriteAsync(buffer, stop);
            await inner.WriteAsync("\r\n"u8.ToArray(), stop);
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public async Task EndAsync() => await inner.WriteAsync("0\r\n\r\n"u8.ToArray(), stop);

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    /// <summary>Reads lines and counted bytes from the response, buffering what arrives beyond them.</summary>
    private sealed class ByteReader(Stream inner)
    {
        private readonly byte[] _buffer = new byte[16 * 1024];
        private int _start;
        private int _end;

        public async Task<string> ReadLineAsync()
        {
            var line = new MemoryStream();
            while (true)
            {
                if (_start == _end && !await FillAsync())
                {
                    throw new IOException("The connection closed inside the response.");
                }

                var b = _buffer[_start++];
                if (b == '\n')
                {
                    return Encoding.ASCII.GetString(line.ToArray()).TrimEnd('\r');
                }

                line.WriteByte(b);
            }
        }

        public async Task<byte[]> ReadAsync(int count)
        {
            var bytes = new byte[count];
            for (var done = 0; done < count;)
            {
                if (_start == _end && !await FillAsync())
                {
                    throw new IOException("The connection closed inside the response.");
                }

                var take = Math.Min(count - done, _end - _start);
                _buffer.AsSpan(_start, take).CopyTo(bytes.AsSpan(done));
                _start += take;
                done += take;
            }

            return bytes;
        }

        private async Task<bool> FillAsync()
        {
            _start = 0;
            _end = await inner.ReadAsync(_buffer);
            return _end > 0;
        }
    }
}
