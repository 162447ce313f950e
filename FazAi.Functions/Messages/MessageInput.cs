using System.Text.Json;
using FazAi.Functions.Groups;
using FazAi.Functions.Http;

namespace FazAi.Functions.Messages;

/// <summary>A chat named by a person: the sign must be a group of the account; the name defaults to its name.</summary>
public sealed record TargetInput(string? Name, string Sign);

/// <summary>
/// A message as a person sends it to <c>/user/message/send</c>, with every shape rule checked. What needs storage
/// (the account's groups and materials, the message being updated) is checked by <see cref="MessageStore"/>.
/// </summary>
public sealed record MessageInput(
    string? Id,
    string Status,
    string? WxName,
    string? Theme,
    IReadOnlyList<TargetInput> Targets,
    string? Type,
    string? Content,
    IReadOnlyList<string> MaterialNames,
    DateTimeOffset? SendTime)
{
    public const int MaxContentLength = 10_000;
    public const int MaxThemeLength = 256;
    public const int MaxTargets = 200;
    public const int MaxTargetNameLength = 256;
    public const int MaxTargetSignLength = 256;
    public const int MaxMaterialNameLength = 128;

    /// <summary>
    /// Reads and checks every parameter. A scheduled message (<c>status</c> absent or <c>wait</c>) needs all of
    /// <c>wxname</c>, <c>sendTime</c>, <c>targetGroup</c>, <c>type</c> and <c>content</c>; a draft (<c>edit</c>)
    /// needs none of them, but whatever it has must be valid.
    /// </summary>
    public static MessageInput Read(RequestParameters p, string wxuin)
    {
        var id = p.OptionalId();
        var status = p.OptionalChoice("status", MessageStatus.Scheduled, MessageStatus.Draft)
            ?? MessageStatus.Scheduled;
        var isDraft = status == MessageStatus.Draft;

        var wxname = p.OptionalString("wxname", Validate.MaxNameLength);
        var theme = p.OptionalString("theme", MaxThemeLength, allowControl: true);
        var sendTime = p.OptionalTime("sendTime");
        var type = p.OptionalChoice("type", MessageType.All);
        var content = p.OptionalString("content", MaxContentLength, allowControl: true);
        var targets = ReadTargets(p.OptionalArray("targetGroup"));

        if (!isDraft)
        {
            Required("wxname", string.IsNullOrWhiteSpace(wxname));
            Required("sendTime", sendTime is null);
            Required("targetGroup", targets is null or { Count: 0 });
            Required("type", type is null);
            Required("content", string.IsNullOrWhiteSpace(content));
        }

        var materialNames = type is MessageType.Image or MessageType.Mp3 && !string.IsNullOrWhiteSpace(content)
            ? MaterialNamesIn(content, wxuin, type)
            : [];
        return new MessageInput(id, status, wxname, theme, targets ?? [], type, content, materialNames, sendTime);
    }

    private static void Required(string name, bool missing)
    {
        if (missing)
        {
            throw ApiException.BadParameter(name, "is required for a scheduled message (send status edit for a draft)");
        }
    }

    /// <summary>Parses <c>[{name, sign}]</c>; a sign named twice is kept once, at its first place.</summary>
    private static List<TargetInput>? ReadTargets(JsonElement? array)
    {
        if (array is not { } items)
        {
            return null;
        }

        if (items.GetArrayLength() > MaxTargets)
        {
            throw ApiException.BadParameter("targetGroup", $"names more than {MaxTargets} groups");
        }

        var targets = new List<TargetInput>();
        var signs = new HashSet<string>(StringComparer.Ordinal);
        var index = 0;
        foreach (var item in items.EnumerateArray())
        {
            var where = $"targetGroup[{index++}]";
            if (item.ValueKind != JsonValueKind.Object)
            {
                throw ApiException.BadParameter(where, "must be an object with name and sign");
            }

            var sign = GroupInput.TextOf(item, "sign", where, MaxTargetSignLength);
            if (string.IsNullOrEmpty(sign))
            {
                throw ApiException.BadParameter($"{where}.sign", "is required");
            }

            var name = GroupInput.TextOf(item, "name", where, MaxTargetNameLength);
            if (signs.Add(sign))
            {
                targets.Add(new TargetInput(name, sign));
            }
        }

        return targets;
    }

    /// <summary>
    /// The material names in an image or mp3 message: <c>content</c> must be <c>src</c> paths
    /// <c>&lt;wxuin&gt;/&lt;type&gt;/&lt;name&gt;</c> joined by commas. The path prefix is matched whole, so a
    /// <c>wxuin</c> holding a comma or a slash still parses; names are what uploads generate (letters, digits,
    /// <c>. _ -</c>), so they hold neither.
    /// </summary>
    public static IReadOnlyList<string> MaterialNamesIn(string content, string wxuin, string type)
    {
        var prefix = $"{wxuin}/{type}/";
        var names = new List<string>();
        var at = 0;
        while (true)
        {
            if (content.Length - at < prefix.Length ||
                string.CompareOrdinal(content, at, prefix, 0, prefix.Length) != 0)
            {
                throw ApiException.BadParameter(
                    "content", $"must be {type} paths '{prefix}<name>' of this account, separated by commas");
            }

            at += prefix.Length;
            var end = content.IndexOf(',', at);
            end = end < 0 ? content.Length : end;
            var name = content[at..end];
            if (name.Length is 0 or > MaxMaterialNameLength || !name.All(IsNameCharacter))
            {
                throw ApiException.BadParameter("content", $"holds a path whose material name is not valid: '{name}'");
            }

            names.Add(name);
            if (end == content.Length)
            {
                return names;
            }

            at = end + 1;
        }
    }

    private static bool IsNameCharacter(char c) => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-';
}
