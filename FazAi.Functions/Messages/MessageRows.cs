using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using FazAi.Functions.Http;
using FazAi.Functions.Storage;

namespace FazAi.Functions.Messages;

/// <summary>
/// The rows of the messages table. A message's <c>_id</c> starts with a tag taken from its account (the first
/// hex characters of SHA-256 of the <c>wxuin</c>), and its partition is <c>m</c> + tag, so a caller holding only the
/// <c>_id</c> (the window's ack) finds the message with one point read. In that partition each message has:
/// <list type="bullet">
/// <item><c>msg:{id}</c> — the message itself, with the key of its index row;</item>
/// <item>one index row, a full copy keyed for the listing it belongs to:
/// <c>{wxuin}|{status}|{newest-first sendTime}|{id}</c> for <c>edit</c>, <c>wait</c>, <c>send</c> and
/// <c>failed</c> (one key range per listing, newest first; due messages are the <c>wait</c> sub-range up to now),
/// and <c>{wxuin}|sending|{lease end}|{id}</c> (leases that ran out are a key range too).</item>
/// </list>
/// Every change rewrites the message and moves its index row in one transaction on the partition, so the two
/// never disagree. Accounts whose tags collide share a partition; the encoded <c>wxuin</c> keeps their rows apart.
/// </summary>
internal static class MessageRows
{
    private const string MainPrefix = "msg:";

    /// <summary>A property holds at most 32K UTF-16 characters; the targets' JSON is spread over several.</summary>
    private const int TargetsChunkLength = 30_000;

    private const int MaxTargetsChunks = 8;

    /// <summary>
    /// The targets' JSON never exceeds this: 200 targets of 256-character names and signs, each character written
    /// at most twice (see <see cref="TargetsJson"/>), take about 210,000. Two full copies of a message then stay far
    /// inside the 1 MiB entity limit and, even with every character escaped (6 bytes), inside one 4 MiB transaction.
    /// </summary>
    public const int MaxTargetsJsonLength = TargetsChunkLength * MaxTargetsChunks;

    public static string TagOf(string wxuin) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(wxuin)))[..Ids.TagLength];

    public static string NewId(string wxuin) => Ids.NewTagged(TagOf(wxuin));

    /// <summary>Whether <paramref name="id"/> can be a message of the account at all (same tag).</summary>
    public static bool CanBelongTo(string id, string wxuin) => id.StartsWith(TagOf(wxuin), StringComparison.Ordinal);

    public static string PartitionOf(string id) => "m" + id[..Ids.TagLength];

    public static string PartitionFor(string wxuin) => "m" + TagOf(wxuin);

    public static string MainKey(string id) => MainPrefix + id;

    /// <summary>The index keys of one listing: [from, to).</summary>
    public static (string From, string To) Listing(string wxuin, string status) =>
        ($"{Keys.Encode(wxuin)}|{status}|", $"{Keys.Encode(wxuin)}|{status}}}");

    /// <summary>Scheduled messages whose send time has come; <c>}</c> follows <c>|</c>.</summary>
    public static (string From, string To) Due(string wxuin, DateTimeOffset now) =>
        ($"{Keys.Encode(wxuin)}|{MessageStatus.Scheduled}|{Keys.NewestFirst(now)}",
            $"{Keys.Encode(wxuin)}|{MessageStatus.Scheduled}}}");

    /// <summary>Leased messages whose lease ended at or before <paramref name="now"/>.</summary>
    public static (string From, string To) LeasesRunOut(string wxuin, DateTimeOffset now) =>
        ($"{Keys.Encode(wxuin)}|{MessageStatus.Leased}|",
            $"{Keys.Encode(wxuin)}|{MessageStatus.Leased}|{Keys.Ticks(now.AddTicks(1))}");

    public static string IndexKeyOf(MessageRow row) => row.Status == MessageStatus.Leased
        ? $"{Keys.Encode(row.WxUin)}|{row.Status}|{Keys.Ticks(row.LeaseUntil!.Value)}|{row.Id}"
        : $"{Keys.Encode(row.WxUin)}|{row.Status}|{Keys.NewestFirst(row.SendTime ?? row.CreateTime)}|{row.Id}";

    /// <summary>The targets as stored: JSON, bounded, in chunks of at most 30,000 characters.</summary>
    public static IReadOnlyList<string> TargetsChunks(IReadOnlyList<MessageTarget> targets)
    {
        var json = TargetsJson(targets);
        if (json.Length > MaxTargetsJsonLength)
        {
            throw ApiException.BadParameter(
                "targetGroup",
                $"is too large to store ({json.Length} characters as JSON, at most {MaxTargetsJsonLength})");
        }

        var chunks = new List<string>();
        for (var at = 0; at < json.Length;)
        {
            var length = Math.Min(TargetsChunkLength, json.Length - at);

            // A chunk never ends between the two halves of a surrogate pair: each must be valid text on its own.
            if (at + length < json.Length && char.IsHighSurrogate(json[at + length - 1]))
            {
                length--;
            }

            chunks.Add(json.Substring(at, length));
            at += length;
        }

        return chunks;
    }

    /// <summary>
    /// <c>[{"name":…,"sign":…}]</c> with only what JSON requires escaped. The serializer would escape every
    /// character outside the Basic Multilingual Plane (an emoji takes 12 characters), which could make valid targets
    /// too large to store; here quotes, backslashes and the few control characters allowed are the only ones that grow.
    /// </summary>
    public static string TargetsJson(IReadOnlyList<MessageTarget> targets)
    {
        var json = new StringBuilder("[");
        for (var i = 0; i < targets.Count; i++)
        {
            json.Append(i == 0 ? "{\"name\":" : ",{\"name\":");
            AppendJsonString(json, targets[i].Name);
            json.Append(",\"sign\":");
            AppendJsonString(json, targets[i].Sign);
            json.Append('}');
        }

        return json.Append(']').ToString();
    }

    private static void AppendJsonString(StringBuilder json, string text)
    {
        json.Append('"');
        foreach (var c in text)
        {
            var escaped = c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                '\t' => "\\t",
                '\n' => "\\n",
                '\r' => "\\r",
                < ' ' => $"\\u{(int)c:x4}",
                _ => null,
            };
            if (escaped is null)
            {
                json.Append(c);
            }
            else
            {
                json.Append(escaped);
            }
        }

        json.Append('"');
    }

    public static string TargetsProperty(int chunk) => "TargetGroup" + chunk;

    public static int MaxChunks => MaxTargetsChunks;
}

/// <summary>A message as stored, read from its main row or from an index row (both carry everything).</summary>
internal sealed record MessageRow
{
    public required string Id { get; init; }

    public required string WxUin { get; init; }

    public string? WxName { get; init; }

    public string? Theme { get; init; }

    public IReadOnlyList<MessageTarget> Targets { get; init; } = [];

    public string? Type { get; init; }

    public string? Content { get; init; }

    public required string Status { get; init; }

    public DateTimeOffset? SendTime { get; init; }

    public DateTimeOffset CreateTime { get; init; }

    public DateTimeOffset? SentTime { get; init; }

    public string? Error { get; init; }

    public DateTimeOffset? LeaseUntil { get; init; }

    /// <summary>RowKey of the message's index row.</summary>
    public string IndexKey { get; init; } = "";

    /// <summary>ETag of the row this was read from (the main row or the index row).</summary>
    public ETag ETag { get; init; }

    public string Partition => MessageRows.PartitionOf(Id);

    /// <summary>This message with the index key its state calls for.</summary>
    public MessageRow Indexed() => this with { IndexKey = MessageRows.IndexKeyOf(this) };

    public Message ToMessage() =>
        new(Id, WxUin, WxName, Theme, Targets, Type, Content, Status, SendTime, CreateTime, SentTime, Error);

    public TableEntity ToMainEntity()
    {
        var entity = ToEntity(MessageRows.MainKey(Id));
        entity[nameof(IndexKey)] = IndexKey;
        return entity;
    }

    public TableEntity ToIndexEntity() => ToEntity(IndexKey);

    /// <summary>What writing the row costs in a transaction at most: every character escaped, plus framing.</summary>
    public long WorstCaseWireBytes() =>
        2048 + 6L * new[] { Id, WxUin, WxName, Theme, Type, Content, Error, IndexKey }.Sum(text => text?.Length ?? 0) +
        6L * MessageRows.TargetsChunks(Targets).Sum(chunk => chunk.Length);

    private TableEntity ToEntity(string rowKey)
    {
        var entity = new TableEntity(Partition, rowKey)
        {
            [nameof(Id)] = Id,
            [nameof(WxUin)] = WxUin,
            [nameof(Status)] = Status,
            [nameof(CreateTime)] = CreateTime,
        };
        SetIfPresent(entity, nameof(WxName), WxName);
        SetIfPresent(entity, nameof(Theme), Theme);
        SetIfPresent(entity, nameof(Type), Type);
        SetIfPresent(entity, nameof(Content), Content);
        SetIfPresent(entity, nameof(Error), Error);
        SetIfPresent(entity, nameof(SendTime), SendTime);
        SetIfPresent(entity, nameof(SentTime), SentTime);
        SetIfPresent(entity, nameof(LeaseUntil), LeaseUntil);

        var chunks = MessageRows.TargetsChunks(Targets);
        for (var i = 0; i < chunks.Count; i++)
        {
            entity[MessageRows.TargetsProperty(i)] = chunks[i];
        }

        return entity;
    }

    private static void SetIfPresent(TableEntity entity, string name, object? value)
    {
        if (value is not null)
        {
            entity[name] = value;
        }
    }

    public static MessageRow From(TableEntity entity)
    {
        var json = new StringBuilder();
        for (var i = 0; i < MessageRows.MaxChunks && entity.GetString(MessageRows.TargetsProperty(i)) is { } chunk; i++)
        {
            json.Append(chunk);
        }

        return new MessageRow
        {
            Id = entity.GetString(nameof(Id)),
            WxUin = entity.GetString(nameof(WxUin)),
            WxName = entity.GetString(nameof(WxName)),
            Theme = entity.GetString(nameof(Theme)),
            Targets = json.Length == 0
                ? []
                : JsonSerializer.Deserialize<List<MessageTarget>>(json.ToString(), Envelope.Json) ?? [],
            Type = entity.GetString(nameof(Type)),
            Content = entity.GetString(nameof(Content)),
            Status = entity.GetString(nameof(Status)),
            SendTime = entity.GetDateTimeOffset(nameof(SendTime)),
            CreateTime = entity.GetDateTimeOffset(nameof(CreateTime)) ?? default,
            SentTime = entity.GetDateTimeOffset(nameof(SentTime)),
            Error = entity.GetString(nameof(Error)),
            LeaseUntil = entity.GetDateTimeOffset(nameof(LeaseUntil)),
            IndexKey = entity.GetString(nameof(IndexKey)) ?? entity.RowKey,
            ETag = entity.ETag,
        };
    }
}

/// <summary>
/// Reads and transactions shared by the person's side (<see cref="MessageStore"/>) and the window's
/// (<see cref="Outbox"/>).
/// </summary>
internal static class MessageTable
{
    public static async Task<MessageRow?> ReadAsync(TableClient table, string id, CancellationToken cancel)
    {
        var response = await table.GetEntityIfExistsAsync<TableEntity>(
            MessageRows.PartitionOf(id), MessageRows.MainKey(id), cancellationToken: cancel);
        return response.HasValue ? MessageRow.From(response.Value!) : null;
    }

    /// <summary>
    /// Replaces the message (only if it is still as read) and moves its index row. When the key is unchanged (a change
    /// within the same millisecond, or an edit keeping the send time) the index row is updated in place instead.
    /// </summary>
    public static List<TableTransactionAction> Rewrite(MessageRow read, MessageRow next)
    {
        var actions = new List<TableTransactionAction>
        {
            new(TableTransactionActionType.UpdateReplace, next.ToMainEntity(), read.ETag),
        };
        if (read.IndexKey == next.IndexKey)
        {
            actions.Add(new(TableTransactionActionType.UpdateReplace, next.ToIndexEntity(), ETag.All));
        }
        else
        {
            var old = new TableEntity(read.Partition, read.IndexKey);
            actions.Add(new(TableTransactionActionType.Delete, old, ETag.All));
            actions.Add(new(TableTransactionActionType.Add, next.ToIndexEntity()));
        }

        return actions;
    }
}
