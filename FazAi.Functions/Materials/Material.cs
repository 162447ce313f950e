using System.Text.Json.Serialization;
using FazAi.Functions.Storage;

namespace FazAi.Functions.Materials;

/// <summary>An uploaded image or mp3 as the API shows it; its <c>src</c> is <c>path + name</c>.</summary>
public sealed record Material(
    [property: JsonPropertyName("_id")] string Id,
    [property: JsonPropertyName("wxuin")] string WxUin,
    [property: JsonPropertyName("path")] string Path,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("size")] long Size,
    [property: JsonPropertyName("contentType")] string ContentType,
    [property: JsonPropertyName("createTime")] DateTimeOffset CreateTime);

/// <summary>What <c>/user/upload</c> answers: the generated name and the <c>src</c> to use in messages.</summary>
public sealed record StoredFile(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("src")] string Src);

/// <summary>The two kinds of material and the shape of their generated file names.</summary>
public static class MaterialTypes
{
    public const string Image = "image";
    public const string Mp3 = "mp3";

    public static readonly string[] All = [Image, Mp3];

    /// <summary>The contract's <c>&lt;wxuin&gt;/&lt;type&gt;/</c>, raw: what clients see and put in messages.</summary>
    public static string PathOf(string wxuin, string type) => $"{wxuin}/{type}/";

    /// <summary>
    /// A generated name: epoch milliseconds, six random digits, the extension of the format the bytes showed
    /// (<c>1764835200000123456.jpeg</c>). Names from the seed have fewer digits, so any 1 to 24 digits are a name.
    /// </summary>
    public static bool IsName(string type, string? name)
    {
        var dot = name?.IndexOf('.') ?? -1;
        if (dot is < 1 or > 24)
        {
            return false;
        }

        var extension = name![(dot + 1)..];
        var fits = type == Mp3 ? extension == "mp3" : extension is "jpeg" or "png" or "gif";
        return fits && name.AsSpan(0, dot).IndexOfAnyExceptInRange('0', '9') < 0;
    }
}

/// <summary>
/// A material row: partition = the encoded <c>wxuin</c>, row = <c>{type}:{name}</c>. Names are generated digits and
/// an extension, so the row key needs no encoding, and one account's materials of one type form one key range.
/// </summary>
internal sealed class MaterialRow : TableRow
{
    public string Id { get; set; } = "";

    public string WxUin { get; set; } = "";

    public string Path { get; set; } = "";

    public string Name { get; set; } = "";

    public string Type { get; set; } = "";

    public long Size { get; set; }

    public string ContentType { get; set; } = "";

    public DateTimeOffset CreateTime { get; set; }

    public static string RowKeyOf(string type, string name) => $"{type}:{name}";

    public Material ToMaterial() => new(Id, WxUin, Path, Name, Type, Size, ContentType, CreateTime);
}
