using Azure;
using Azure.Data.Tables;
using FazAi.Functions.Groups;
using FazAi.Functions.Http;
using FazAi.Functions.Logins;
using FazAi.Functions.Storage;
using Microsoft.Extensions.Logging;

namespace FazAi.Functions.Messages;

/// <summary>
/// A person's messages: scheduled, kept as drafts, listed and deleted. The window's side is <see cref="Outbox"/>.
/// </summary>
public sealed class MessageStore(
    StorageAccount storage,
    GroupStore groups,
    IMaterialCatalog materials,
    TimeProvider clock,
    ILogger<MessageStore> logger)
{
    /// <summary>Bounds the retries of a change that keeps losing races, so a call always ends.</summary>
    private const int MaxAttempts = 5;

    private readonly TableClient _table = storage.Messages;

    private DateTimeOffset Now => WireTime.Truncate(clock.GetUtcNow());

    /// <summary>
    /// <c>/user/message/send</c>: a new message, or with <c>_id</c> a new content for a draft, a scheduled or a
    /// failed message. Everything is checked (groups, materials, the message's state) before the one write.
    /// </summary>
    public async Task<Message> SaveAsync(Account account, MessageInput input, CancellationToken cancel)
    {
        var wxuin = account.WxUin;
        if (input.Id is { } id && !MessageRows.CanBelongTo(id, wxuin))
        {
            throw NotFound(id);
        }

        // The reads are independent; their findings are judged in a fixed order once all are in.
        var reading = input.Id is null
            ? Task.FromResult<MessageRow?>(null)
            : MessageTable.ReadAsync(_table, input.Id, cancel);
        var finding = input.Targets.Count == 0
            ? Task.FromResult<IReadOnlyDictionary<string, Group>>(new Dictionary<string, Group>())
            : groups.FindAsync(wxuin, input.Targets.Select(t => t.Sign), cancel);
        var checking = input.MaterialNames.Count == 0
            ? Task.FromResult<IReadOnlySet<string>>(new HashSet<string>())
            : materials.ExistingNamesAsync(wxuin, input.Type!, input.MaterialNames.Distinct().ToList(), cancel);
        await Task.WhenAll(reading, finding, checking);

        var read = await reading;
        var targets = Resolve(input.Targets, await finding);
        CheckMaterials(input, await checking);

        // Chosen once: if a create commits but its answer is lost, the client's retry meets this very id.
        var messageId = input.Id ?? MessageRows.NewId(wxuin);
        for (var attempt = 1; ; attempt++)
        {
            var next = Build(wxuin, input, targets, read, messageId);
            var actions = read is null
                ?
                [
                    new(TableTransactionActionType.Add, next.ToMainEntity()),
                    new(TableTransactionActionType.Add, next.ToIndexEntity()),
                ]
                : MessageTable.Rewrite(read, next);
            if (await TableWrites.TrySubmitAsync(_table, actions, cancel))
            {
                logger.LogInformation(
                    "Saved message {MessageId} of account {WxUin} as {Status}", next.Id, wxuin, next.Status);
                return next.ToMessage();
            }

            if (input.Id is null &&
                await MessageTable.ReadAsync(_table, messageId, cancel) is { } stored && stored.WxUin == wxuin)
            {
                // A new id cannot lose a race: the conflict is this call's own earlier, committed attempt.
                logger.LogInformation("Message {MessageId} was already created by a retried request", messageId);
                return stored.ToMessage();
            }

            logger.LogInformation("Message {MessageId} changed while saving it; reading it again", next.Id);
            if (attempt >= MaxAttempts)
            {
                throw ApiException.Conflict($"Message {next.Id} is being changed by another call; try again.");
            }

            if (input.Id is not null)
            {
                read = await MessageTable.ReadAsync(_table, input.Id, cancel);
            }
        }
    }

    /// <summary><c>/user/message/show</c>: the account's messages in a status, newest send time first.</summary>
    public async Task<IReadOnlyList<Message>> ListAsync(string wxuin, string status, CancellationToken cancel)
    {
        var (from, to) = MessageRows.Listing(wxuin, status);
        var rows = await TableReads.RangeAsync<TableEntity>(_table, MessageRows.PartitionFor(wxuin), from, to, cancel);
        return [.. rows.Select(MessageRow.From).Where(row => row.WxUin == wxuin).Select(row => row.ToMessage())];
    }

    /// <summary><c>/user/message/delete</c>: removes a message that is not leased to a window right now.</summary>
    public async Task<Message> DeleteAsync(string wxuin, string id, CancellationToken cancel)
    {
        if (!MessageRows.CanBelongTo(id, wxuin))
        {
            throw NotFound(id);
        }

        for (var attempt = 1; ; attempt++)
        {
            var read = await MessageTable.ReadAsync(_table, id, cancel);
            if (read is null || read.WxUin != wxuin)
            {
                throw NotFound(id);
            }

            if (read.Status == MessageStatus.Leased)
            {
                throw ApiException.Conflict($"Message {id} is being sent by the window; it cannot be deleted now.");
            }

            var actions = new TableTransactionAction[]
            {
                new(TableTransactionActionType.Delete, new TableEntity(read.Partition, MessageRows.MainKey(id)),
                    read.ETag),
                new(TableTransactionActionType.Delete, new TableEntity(read.Partition, read.IndexKey), ETag.All),
            };
            if (await TableWrites.TrySubmitAsync(_table, actions, cancel))
            {
                logger.LogInformation("Deleted message {MessageId} of account {WxUin}", id, wxuin);
                return read.ToMessage();
            }

            if (attempt >= MaxAttempts)
            {
                throw ApiException.Conflict($"Message {id} is being changed by another call; try again.");
            }
        }
    }

    private MessageRow Build(
        string wxuin, MessageInput input, IReadOnlyList<MessageTarget> targets, MessageRow? read, string id)
    {
        if (input.Id is not null)
        {
            if (read is null || read.WxUin != wxuin)
            {
                throw NotFound(input.Id);
            }

            if (read.Status is MessageStatus.Leased or MessageStatus.Sent)
            {
                throw ApiException.Conflict(
                    $"Message {input.Id} is {read.Status}; a message being sent or already sent cannot be changed.");
            }
        }

        // An update replaces what the person wrote; the id and creation time stay, any earlier outcome goes.
        var now = Now;
        return new MessageRow
        {
            Id = id,
            WxUin = wxuin,
            WxName = input.WxName,
            Theme = input.Theme,
            Targets = targets,
            Type = input.Type,
            Content = input.Content,
            Status = input.Status,
            SendTime = input.SendTime,
            CreateTime = read?.CreateTime ?? now,
        }.Indexed();
    }

    private static List<MessageTarget> Resolve(
        IReadOnlyList<TargetInput> targets, IReadOnlyDictionary<string, Group> saved)
    {
        var missing = targets.Where(t => !saved.ContainsKey(t.Sign)).Select(t => t.Sign).ToList();
        if (missing.Count > 0)
        {
            throw ApiException.BadParameter(
                "targetGroup", $"names {missing.Count} group(s) this account does not have: {Quote(missing)}");
        }

        return [.. targets.Select(t => new MessageTarget(t.Name ?? saved[t.Sign].GroupName, t.Sign))];
    }

    private static void CheckMaterials(MessageInput input, IReadOnlySet<string> existing)
    {
        var missing = input.MaterialNames.Where(name => !existing.Contains(name)).Distinct().ToList();
        if (missing.Count > 0)
        {
            throw ApiException.BadParameter(
                "content", $"names {input.Type} material(s) this account does not have: {Quote(missing)}");
        }
    }

    /// <summary>The first few values, quoted, so a long list still makes a short sentence.</summary>
    private static string Quote(IReadOnlyList<string> values) =>
        string.Join(", ", values.Take(3).Select(v => $"'{v}'")) + (values.Count > 3 ? ", …" : "");

    private static ApiException NotFound(string id) => ApiException.NotFound($"A message with _id {id}");
}
