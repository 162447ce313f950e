using System.Text;
using FazAi.Functions.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;

namespace FazAi.Functions.Materials;

/// <summary>
/// The <c>multipart/form-data</c> body of <c>/user/upload</c>, read as a stream and never buffered (no
/// <c>ReadFormAsync</c>, which keeps files in memory or on disk).
/// <para>
/// The small fields <c>wxuin</c> and <c>type</c> must come before the file part <c>pics</c>, as the front end sends
/// them (either may instead be in the query string). The account has to be known and its token checked before a
/// byte of the file is stored; waiting for fields that follow the file would mean holding the whole file.
/// </para>
/// <para>
/// One file per request: a second <c>pics</c> part is a 400, not silently dropped, and it is found before the blob
/// is committed (see <see cref="UploadStream"/>), so the refusal stores nothing. Other fields are ignored.
/// </para>
/// </summary>
public sealed class UploadForm
{
    public const string FileField = "pics";

    /// <summary>Room in a declared body length for boundaries, part headers and the fields around the file.</summary>
    public const long Allowance = 64 * 1024;

    private const int MaxFieldBytes = 1024;

    /// <summary>The multipart reader's buffer; its default, 4 KiB, means 5,000 reads for a 20 MiB file.</summary>
    private const int ReadBufferBytes = 64 * 1024;

    private static readonly Encoding StrictUtf8 = new UTF8Encoding(false, throwOnInvalidBytes: true);

    private readonly UploadStream _content;

    private UploadForm(string wxuin, string type, FileFormat format, UploadStream content)
    {
        WxUin = wxuin;
        Type = type;
        Format = format;
        _content = content;
    }

    public string WxUin { get; }

    public string Type { get; }

    /// <summary>What the file's first bytes showed it to be.</summary>
    public FileFormat Format { get; }

    /// <summary>The file, from its first byte; read it once, to the end.</summary>
    public Stream Content => _content;

    /// <summary>The file's size in bytes once <see cref="Content"/> has been read to the end.</summary>
    public long Size => _content.BytesRead;

    /// <summary>
    /// Reads the body up to the file's first bytes: the fields, then enough of <c>pics</c> to recognise its format.
    /// A declared length over the limit is refused before anything is read.
    /// </summary>
    public static async Task<UploadForm> ReadAsync(HttpRequest request, FazAiOptions options, CancellationToken cancel)
    {
        var boundary = BoundaryOf(request.ContentType);
        CheckDeclaredLength(request, Math.Max(options.MaxImageBytes, options.MaxMp3Bytes));

        // The reader reads a buffer ahead, which may already hold the start of the file.
        var body = new HeadLimitStream(request.Body, Allowance + ReadBufferBytes);
        var reader = new MultipartReader(boundary, body, ReadBufferBytes);
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        MultipartSection? file = null;
        while (file is null && await GuardAsync(() => reader.ReadNextSectionAsync(cancel)) is { } section)
        {
            var name = NameOf(section);
            if (name == FileField)
            {
                file = section;
                body.ReachedFile();
            }
            else if (name is "wxuin" or "type" && !fields.TryAdd(name, await ReadFieldAsync(section, name, cancel)))
            {
                throw ApiException.BadParameter(name, "is given more than once");
            }
        }

        if (file is null)
        {
            throw ApiException.BadParameter(FileField, "is required: the file part of the multipart body");
        }

        var query = RequestParameters.FromQuery(request);
        var type = fields.GetValueOrDefault("type") ?? query.OptionalString("type", 32);
        var wxuin = fields.GetValueOrDefault("wxuin") ?? query.OptionalString("wxuin", Validate.MaxWxuinLength);
        if (type is null || wxuin is null)
        {
            throw ApiException.BadParameter(
                type is null ? "type" : "wxuin", "is required, before the file part 'pics'");
        }

        if (!MaterialTypes.All.Contains(type))
        {
            throw ApiException.BadParameter("type", $"must be one of {string.Join(", ", MaterialTypes.All)}");
        }

        var limit = options.MaxBytesFor(type);
        CheckDeclaredLength(request, limit);
        var head = await ReadHeadAsync(file.Body, cancel);
        var format = Recognise(head, type);
        var content = new UploadStream(head, file.Body, limit, type, rest => CheckRestAsync(reader, rest));
        return new UploadForm(wxuin, type, format, content);
    }

    /// <summary>Turns failures of reading the body into what the client is told; null for anything else.</summary>
    internal static ApiException? Translate(Exception e) =>
        RequestBody.Translate(e, "The multipart body is malformed or cut short.");

    private static string BoundaryOf(string? contentType)
    {
        if (!MediaTypeHeaderValue.TryParse(contentType, out var media) ||
            !media.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase))
        {
            throw new ApiException(
                ApiFailure.BadParameter, "The body must be multipart/form-data with a file part 'pics'.");
        }

        var boundary = HeaderUtilities.RemoveQuotes(media.Boundary).Value;
        return string.IsNullOrWhiteSpace(boundary) || boundary.Length > 70
            ? throw new ApiException(ApiFailure.BadParameter, "The multipart/form-data body has no valid boundary.")
            : boundary;
    }

    private static void CheckDeclaredLength(HttpRequest request, long limit)
    {
        if (request.ContentLength > limit + Allowance)
        {
            throw new ApiException(
                ApiFailure.TooLarge,
                $"The request body ({request.ContentLength} bytes) is over the {limit}-byte limit.");
        }
    }

    /// <summary>The part's field name; a part that is not <c>form-data</c> has none and is ignored.</summary>
    private static string? NameOf(MultipartSection section) =>
        ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition) &&
        disposition.DispositionType.Equals("form-data", StringComparison.OrdinalIgnoreCase)
            ? HeaderUtilities.RemoveQuotes(disposition.Name).Value
            : null;

    private static async Task<string> ReadFieldAsync(MultipartSection section, string name, CancellationToken cancel)
    {
        var buffer = new byte[MaxFieldBytes + 1];
        var length = 0;
        int read;
        while (length < buffer.Length &&
            (read = await GuardAsync(() => section.Body.ReadAsync(buffer, length, buffer.Length - length, cancel))) > 0)
        {
            length += read;
        }

        if (length > MaxFieldBytes)
        {
            throw ApiException.BadParameter(name, "is too long");
        }

        try
        {
            return RequestParameters.CheckText(name, StrictUtf8.GetString(buffer, 0, length), MaxFieldBytes);
        }
        catch (DecoderFallbackException)
        {
            throw ApiException.BadParameter(name, "is not valid UTF-8");
        }
    }

    /// <summary>The file's first bytes, as many as the longest signature, fewer only if the file is shorter.</summary>
    private static async Task<byte[]> ReadHeadAsync(Stream file, CancellationToken cancel)
    {
        var head = new byte[FileFormat.SignatureLength];
        var length = 0;
        int read;
        while (length < head.Length &&
            (read = await GuardAsync(() => file.ReadAsync(head, length, head.Length - length, cancel))) > 0)
        {
            length += read;
        }

        return head[..length];
    }

    private static FileFormat Recognise(byte[] head, string type)
    {
        if (head.Length == 0)
        {
            throw ApiException.BadParameter(FileField, "is an empty file");
        }

        var format = FileFormat.Detect(head) ?? throw new ApiException(
            ApiFailure.UnsupportedMedia,
            type == MaterialTypes.Mp3
                ? "The file is not MPEG audio (an ID3 tag or a frame sync), as type mp3 requires."
                : "The file is not a JPEG, PNG or GIF image, as type image requires.");
        return format.Type == type
            ? format
            : throw new ApiException(ApiFailure.UnsupportedMedia, $"The file is {format.Label}, not {type}.");
    }

    /// <summary>After the file the body must end well: no second file, no late <c>wxuin</c> or <c>type</c>.</summary>
    private static async Task CheckRestAsync(MultipartReader reader, CancellationToken cancel)
    {
        while (await GuardAsync(() => reader.ReadNextSectionAsync(cancel)) is { } section)
        {
            var name = NameOf(section);
            if (name is FileField or "wxuin" or "type")
            {
                throw ApiException.BadParameter(
                    name,
                    name == FileField ? "is given twice; upload one file per request" : "comes after the file");
            }
        }
    }

    private static async Task<T> GuardAsync<T>(Func<Task<T>> read)
    {
        try
        {
            return await read();
        }
        catch (Exception e) when (Translate(e) is { } failure)
        {
            throw failure;
        }
    }
}
