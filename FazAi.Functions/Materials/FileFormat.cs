namespace FazAi.Functions.Materials;

/// <summary>
/// A file format recognised by its first bytes. The part's <c>Content-Type</c> and file name are whatever the client
/// chose to send, so only the bytes decide what a file is and which content type it is served with.
/// </summary>
public sealed record FileFormat(string Label, string Type, string ContentType, string Extension)
{
    /// <summary>The longest signature checked (PNG's eight bytes).</summary>
    public const int SignatureLength = 8;

    public static readonly FileFormat Jpeg = new("JPEG", MaterialTypes.Image, "image/jpeg", "jpeg");
    public static readonly FileFormat Png = new("PNG", MaterialTypes.Image, "image/png", "png");
    public static readonly FileFormat Gif = new("GIF", MaterialTypes.Image, "image/gif", "gif");
    public static readonly FileFormat Mpeg = new("MPEG audio", MaterialTypes.Mp3, "audio/mpeg", "mp3");

    /// <summary>The format whose signature <paramref name="head"/> starts with, or null.</summary>
    public static FileFormat? Detect(ReadOnlySpan<byte> head)
    {
        if (head.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8, 0xFF]))
        {
            return Jpeg;
        }

        if (head.StartsWith((ReadOnlySpan<byte>)[0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]))
        {
            return Png;
        }

        if (head.StartsWith("GIF87a"u8) || head.StartsWith("GIF89a"u8))
        {
            return Gif;
        }

        return head.StartsWith("ID3"u8) || IsMpegFrameHeader(head) ? Mpeg : null;
    }

    /// <summary>
    /// An MPEG audio frame header: eleven set sync bits, then a version, layer, bitrate and sample rate that are not
    /// the reserved values. Checking more than the sync keeps most other binary data that starts with 0xFF out.
    /// </summary>
    private static bool IsMpegFrameHeader(ReadOnlySpan<byte> head)
    {
        if (head.Length < 3 || head[0] != 0xFF || (head[1] & 0xE0) != 0xE0)
        {
            return false;
        }

        var version = (head[1] >> 3) & 0b11;
        var layer = (head[1] >> 1) & 0b11;
        var bitrate = head[2] >> 4;
        var sampleRate = (head[2] >> 2) & 0b11;
        return version != 0b01 && layer != 0b00 && bitrate != 0b1111 && sampleRate != 0b11;
    }
}
