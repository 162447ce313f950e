using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.WebUtilities;

namespace FazAi.Functions.Http;

/// <summary>
/// The named parameters of one request: a JSON object body first, then form fields, then the query string.
/// Every accessor validates what it returns and throws <see cref="ApiException"/> naming the parameter.
/// </summary>
public sealed class RequestParameters
{
    private static readonly JsonDocumentOptions DocumentOptions = new()
    {
        MaxDepth = 32,
        AllowDuplicateProperties = false,
    };

    private readonly JsonElement? _body;
    private readonly IFormCollection? _form;
    private readonly IQueryCollection _query;
    private readonly IReadOnlySet<string> _undecodable;

    private RequestParameters(
        JsonElement? body, IFormCollection? form, IQueryCollection query, IReadOnlySet<string> undecodable)
    {
        _body = body;
        _form = form;
        _query = query;
        _undecodable = undecodable;
    }

    /// <summary>The query string alone, for a request whose body is not a parameter set (an upload).</summary>
    public static RequestParameters FromQuery(HttpRequest request) =>
        new(null, null, request.Query, UrlEncodedText.InvalidFields(request.QueryString.Value));


    /// <summary>Reads the body as JSON or as a form, as its content type says; other bodies are ignored.</summary>
    public static async Task<RequestParameters> ReadAsync(
        HttpRequest request, long maxBodyBytes, CancellationToken cancel)
    {
        if (request.ContentLength > maxBodyBytes)
        {
            throw new ApiException(ApiFailure.TooLarge, $"The request body is over {maxBodyBytes} bytes.");
        }

        var undecodable = UrlEncodedText.InvalidFields(request.QueryString.Value);
        var mediaType = MediaTypeOf(request.ContentType);
        if (mediaType == "application/json" || mediaType.EndsWith("+json", StringComparison.Ordinal))
        {
            var json = await ReadJsonAsync(request, maxBodyBytes, cancel);
            return new RequestParameters(json, null, request.Query, undecodable);
        }

        if (mediaType == "application/x-www-form-urlencoded")
        {
            var (form, undecodableFields) = await ReadUrlEncodedAsync(request, maxBodyBytes, cancel);
            return new RequestParameters(null, form, request.Query, undecodable.Union(undecodableFields).ToHashSet());
        }

        if (request.HasFormContentType)
        {
            var form = await ReadFormAsync(request, maxBodyBytes, cancel);
            return new RequestParameters(null, form, request.Query, undecodable);
        }

        return new RequestParameters(null, null, request.Query, undecodable);
    }

    private static string MediaTypeOf(string? contentType) =>
        (contentType ?? "").Split(';', 2)[0].Trim().ToLowerInvariant();

    /// <summary>The whole body, refused with 413 as soon as it passes the limit, declared length or not.</summary>
    private static async Task<MemoryStream> ReadBodyAsync(
        HttpRequest request, long maxBodyBytes, CancellationToken cancel)
    {
        var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancel)) > 0)
        {
            if (buffer.Length + read > maxBodyBytes)
            {
                throw new ApiException(ApiFailure.TooLarge, $"The request body is over {maxBodyBytes} bytes.");
            }

            buffer.Write(chunk, 0, read);
        }

        buffer.Position = 0;
        return buffer;
    }

    private static async Task<(IFormCollection Form, IReadOnlySet<string> Undecodable)> ReadUrlEncodedAsync(
        HttpRequest request, long maxBodyBytes, CancellationToken cancel)
    {
        using var body = await ReadBodyAsync(request, maxBodyBytes, cancel);
        var raw = Encoding.Latin1.GetString(body.GetBuffer(), 0, (int)body.Length);
        using var reader = new FormReader(body)
        {
            ValueLengthLimit = (int)Math.Min(maxBodyBytes, int.MaxValue),
            KeyLengthLimit = (int)Math.Min(maxBodyBytes, int.MaxValue),
        };
        var fields = await reader.ReadFormAsync(cancel);
        return (new FormCollection(fields), UrlEncodedText.InvalidFields(raw));
    }

    private static async Task<JsonElement?> ReadJsonAsync(
        HttpRequest request, long maxBodyBytes, CancellationToken cancel)
    {
        using var buffer = await ReadBodyAsync(request, maxBodyBytes, cancel);
        if (buffer.Length == 0)
        {
            return null;
        }

        try
        {
            var json = buffer.GetBuffer().AsMemory(0, (int)buffer.Length);
            using var document = JsonDocument.Parse(json, DocumentOptions);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new ApiException(ApiFailure.BadParameter, "The JSON body must be an object.");
            }

            return document.RootElement.Clone();
        }
        catch (JsonException)
        {
            throw new ApiException(ApiFailure.BadParameter, "The body is not valid JSON.");
        }
    }

    private static async Task<IFormCollection> ReadFormAsync(
        HttpRequest request, long maxBodyBytes, CancellationToken cancel)
    {
        // The same limit as a JSON body, also when the body arrives chunked without a declared length.
        var limits = new FormOptions
        {
            BufferBodyLengthLimit = maxBodyBytes,
            MultipartBodyLengthLimit = maxBodyBytes,
            ValueLengthLimit = (int)Math.Min(maxBodyBytes, int.MaxValue),
        };
        try
        {
            return await request.ReadFormAsync(limits, cancel);
        }
        catch (InvalidDataException e) when (e.Message.Contains("limit", StringComparison.OrdinalIgnoreCase))
        {
            throw new ApiException(ApiFailure.TooLarge, "A form field or the form is over the size limit.");
        }
        catch (Exception e) when (RequestBody.Translate(e, "The form body is malformed.") is { } refusal)
        {
            throw refusal;
        }
    }

    /// <summary>A string parameter, or null when absent; a JSON value of another type is a bad parameter.</summary>
    public string? OptionalString(string name, int maxLength, bool allowControl = false)
    {
        var text = Raw(name, JsonValueKind.String);
        if (text is null)
        {
            return null;
        }

        return CheckText(name, text, maxLength, allowControl);
    }

    public string RequiredString(string name, int maxLength, bool allowControl = false) =>
        OptionalString(name, maxLength, allowControl) is { Length: > 0 } text
            ? text
            : throw ApiException.BadParameter(name, "is required");

    /// <summary>A string that must be one of <paramref name="allowed"/>, or null when absent.</summary>
    public string? OptionalChoice(string name, params string[] allowed)
    {
        var text = OptionalString(name, 32);
        if (text is null || allowed.Contains(text, StringComparer.Ordinal))
        {
            return text;
        }

        throw ApiException.BadParameter(name, $"must be one of {string.Join(", ", allowed)}");
    }

    public string RequiredChoice(string name, params string[] allowed) =>
        OptionalChoice(name, allowed) ?? throw ApiException.BadParameter(name, "is required");

    /// <summary>An <c>_id</c>-shaped parameter: 24 lowercase hex characters.</summary>
    public string RequiredId(string name = "_id")
    {
        var id = RequiredString(name, 64);
        return Ids.IsValid(id) ? id : throw ApiException.BadParameter(name, "must be 24 lowercase hex characters");
    }

    public string? OptionalId(string name = "_id")
    {
        var id = OptionalString(name, 64);
        if (string.IsNullOrEmpty(id))
        {
            return null;
        }

        return Ids.IsValid(id) ? id : throw ApiException.BadParameter(name, "must be 24 lowercase hex characters");
    }

    /// <summary>A time: epoch milliseconds (number or digits) or ISO 8601 with an offset.</summary>
    public DateTimeOffset? OptionalTime(string name)
    {
        string? text;
        if (_body is { } body && body.TryGetProperty(name, out var element) &&
            element.ValueKind == JsonValueKind.Number)
        {
            text = element.TryGetInt64(out var ms) ? ms.ToString(CultureInfo.InvariantCulture) : "";
        }
        else
        {
            text = OptionalString(name, 64);
        }

        if (text is null)
        {
            return null;
        }

        return WireTime.TryParse(text.Trim(), out var time)
            ? time
            : throw ApiException.BadParameter(
                name, "must be epoch milliseconds or an ISO 8601 time with an offset, between 2000 and 9999");
    }

    /// <summary>An array parameter: a JSON array in a JSON body, or a JSON-encoded array in a field.</summary>
    public JsonElement? OptionalArray(string name)
    {
        if (_body is { } body && body.TryGetProperty(name, out var element))
        {
            return element.ValueKind switch
            {
                JsonValueKind.Null => null,
                JsonValueKind.Array => element,
                _ => throw ApiException.BadParameter(name, "must be a JSON array"),
            };
        }

        var text = FieldValue(name);
        if (text is null)
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(text, DocumentOptions);
            return document.RootElement.ValueKind == JsonValueKind.Array
                ? document.RootElement.Clone()
                : throw ApiException.BadParameter(name, "must be a JSON array");
        }
        catch (JsonException)
        {
            throw ApiException.BadParameter(name, "must be a JSON-encoded array");
        }
    }

    /// <summary>
    /// Checks a client string: no lone surrogates, no control characters unless allowed, within length.
    /// </summary>
    public static string CheckText(string name, string text, int maxLength, bool allowControl = false)
    {
        if (text.Length > maxLength)
        {
            throw ApiException.BadParameter(name, $"is longer than {maxLength} characters");
        }

        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(c))
            {
                throw ApiException.BadParameter(name, "holds an invalid Unicode character");
            }
            else if (char.IsControl(c) && !(allowControl && c is '\n' or '\r' or '\t'))
            {
                throw ApiException.BadParameter(name, "holds a control character");
            }
            else if (c == '\uFFFD')
            {
                // What bytes that are not UTF-8 decode to; storing it would make different inputs one value.
                throw ApiException.BadParameter(name, "is not valid UTF-8 text");
            }
        }

        return text;
    }

    /// <summary>
    /// A JSON string's text; an escaped lone surrogate (<c>"\ud800"</c>) is a bad parameter, not a crash.
    /// </summary>
    public static string StringOf(JsonElement element, string name)
    {
        try
        {
            return element.GetString()!;
        }
        catch (InvalidOperationException)
        {
            throw ApiException.BadParameter(name, "holds an invalid Unicode escape");
        }
    }

    /// <summary>
    /// Reads a JSON-body property of <paramref name="kind"/> (null counts as absent), else a form or query value.
    /// </summary>
    private string? Raw(string name, JsonValueKind kind)
    {
        if (_body is { } body && body.TryGetProperty(name, out var element))
        {
            if (element.ValueKind == JsonValueKind.Null)
            {
                return null;
            }

            return element.ValueKind == kind
                ? StringOf(element, name)
                : throw ApiException.BadParameter(name, "must be a string");
        }

        return FieldValue(name);
    }

    private string? FieldValue(string name)
    {
        if (_undecodable.Contains(name))
        {
            throw ApiException.BadParameter(name, "is not valid UTF-8 text once percent-decoded");
        }

        if (_form is not null && _form.TryGetValue(name, out var formValues) && formValues.Count > 0)
        {
            return Single(name, formValues);
        }

        if (_query.TryGetValue(name, out var queryValues) && queryValues.Count > 0)
        {
            return Single(name, queryValues);
        }

        return null;
    }

    private static string? Single(string name, Microsoft.Extensions.Primitives.StringValues values) =>
        values.Count == 1 ? values[0] : throw ApiException.BadParameter(name, "is given more than once");
}
