using System.Text.Json.Serialization;

namespace FazAi.Functions.Messages;

/// <summary>States of a message: a draft, scheduled, leased to a window, sent, or failed.</summary>
public static class MessageStatus
{
    public const string Draft = "edit";
    public const string Scheduled = "wait";
    public const string Leased = "sending";
    public const string Sent = "send";
    public const string Failed = "failed";
}

/// <summary>What a message carries: text, or material paths of images or mp3s.</summary>
public static class MessageType
{
    public const string Text = "text";
    public const string Image = "image";
    public const string Mp3 = "mp3";

    public static readonly string[] All = [Text, Image, Mp3];
}

/// <summary>
/// A message as the API shows it. <c>sentTime</c> appears once it was sent; <c>error</c> appears on a failed message
/// when the window said why, so the person can see what went wrong before rescheduling it.
/// </summary>
public sealed record Message(
    [property: JsonPropertyName("_id")] string Id,
    [property: JsonPropertyName("wxuin")] string WxUin,
    [property: JsonPropertyName("wxname")] string? WxName,
    [property: JsonPropertyName("theme")] string? Theme,
    [property: JsonPropertyName("targetGroup")] IReadOnlyList<MessageTarget> Targets,
    [property: JsonPropertyName("type")] string? Type,
    [property: JsonPropertyName("content")] string? Content,
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("sendTime")] DateTimeOffset? SendTime,
    [property: JsonPropertyName("createTime")] DateTimeOffset CreateTime,
    [property: JsonPropertyName("sentTime"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    DateTimeOffset? SentTime,
    [property: JsonPropertyName("error"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    string? Error);

/// <summary>One chat a message goes to: its display name and WeChat's chat id.</summary>
public sealed record MessageTarget(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("sign")] string Sign);
