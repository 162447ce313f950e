using Azure;
using Azure.Data.Tables;
using FazAi.Functions.Http;
using FazAi.Functions.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FazAi.Functions.Messages;

/// <summary>
/// The window's side of messages: it leases the account's due messages (each to one window at a time, for the lease
/// time), sends them in WeChat and acknowledges each one as sent or failed.
/// </summary>
public sealed class Outbox(
    StorageAccount storage, IOptions<FazAiOptions> options, TimeProvider clock, ILogger<Outbox> logger)
{
    /// <summary>At most this many messages are leased per call; the window gets the rest on its next calls.</summary>
    public const int MaxPerCall = 100;

    /// <summary>A transaction holds at most 100 actions; a lease takes 3 per message.</summary>
    private const int MaxMessagesPerBatch = 33;

    /// <summary>A transaction's body may be 4 MiB; this leaves room for the framing of each action.</summary>
    private const long MaxBatchWireBytes = 3L * 1024 * 1024;

    private const int MaxAttempts = 5;

    private readonly TableClient _table = storage.Messages;
    private readonly TimeSpan _leaseTime = options.Value.LeaseTime;

    private DateTimeOffset Now => WireTime.Truncate(clock.GetUtcNow());

    /// <summary>
    /// <c>/wx/message</c>: leases the messages whose lease ran out, then the scheduled messages that are due, up to
    /// <see cref="MaxPerCall"/>. Messages are leased many to a transaction; when one fails because another window
    /// got there first, its messages are tried one by one and the ones lost are left to the winner.
    /// </summary>
    public async Task<IReadOnlyList<Message>> LeaseAsync(string wxuin, CancellationToken cancel)
    {
        var now = Now;
        var partition = MessageRows.PartitionFor(wxuin);
        var runOut = FirstPageAsync(partition, MessageRows.LeasesRunOut(wxuin, now), cancel);
        var due = FirstPageAsync(partition, MessageRows.Due(wxuin, now), cancel);
        await Task.WhenAll(runOut, due);

        var candidates = (await runOut).Concat(await due)
            .Where(row => row.WxUin == wxuin)
            .Take(MaxPerCall)
            .ToList();
        var until = now + _leaseTime;
        var leased = new List<MessageRow>();
        foreach (var batch in Batches(candidates, until))
        {
            var actions = batch.SelectMany(m => LeaseActions(m.Read, m.Leased));
            if (await TableWrites.TrySubmitAsync(_table, actions, cancel))
            {
                leased.AddRange(batch.Select(m => m.Leased));
                continue;
            }

            foreach (var (read, next) in batch)
            {
                if (await TableWrites.TrySubmitAsync(_table, LeaseActions(read, next), cancel))
                {
                    leased.Add(next);
                }
                else
                {
                    logger.LogInformation("Message {MessageId} was leased or changed by another call first", read.Id);
                }
            }
        }

        if (candidates.Count > 0)
        {
            logger.LogInformation(
                "Leased {Count} of {Candidates} due messages of account {WxUin} until {LeaseUntil}",
                leased.Count, candidates.Count, wxuin, until);
        }

        // The window sends in the order it receives: the longest waiting first.
        return
        [
            .. leased.OrderBy(row => row.SendTime).ThenBy(row => row.Id, StringComparer.Ordinal)
                .Select(row => row.ToMessage()),
        ];
    }

    /// <summary>
    /// <c>/wx/message/ack</c>: a leased message becomes sent (with the time) or failed (with the window's reason).
    /// Acknowledging again with the same result answers the message as it is.
    /// </summary>
    public async Task<Message> AckAsync(string id, string result, string? error, CancellationToken cancel)
    {
        for (var attempt = 1; ; attempt++)
        {
            var read = await MessageTable.ReadAsync(_table, id, cancel)
                ?? throw ApiException.NotFound($"A message with _id {id}");
            if (read.Status == result)
            {
                return read.ToMessage();
            }

            if (read.Status != MessageStatus.Leased)
            {
                throw ApiException.Conflict(
                    $"Message {id} is {read.Status}, not leased to a window; only a leased message can be acked.");
            }

            var next = (read with
            {
                Status = result,
                SentTime = result == MessageStatus.Sent ? Now : null,
                Error = result == MessageStatus.Failed ? error : null,
                LeaseUntil = null,
            }).Indexed();
            if (await TableWrites.TrySubmitAsync(_table, MessageTable.Rewrite(read, next), cancel))
            {
                logger.LogInformation("Message {MessageId} of account {WxUin} is {Status}", id, read.WxUin, result);
                return next.ToMessage();
            }

            if (attempt >= MaxAttempts)
            {
                throw ApiException.Conflict($"Message {id} is being changed by another call; try again.");
            }
        }
    }

    /// <summary>
    /// The first page of index rows in a key range. Keys sort leases by their end and scheduled messages newest
    /// first, so with more than <see cref="MaxPerCall"/> due the newest go first and the rest follow on later calls.
    /// </summary>
    private async Task<List<MessageRow>> FirstPageAsync(
        string partition, (string From, string To) range, CancellationToken cancel)
    {
        var filter = TableClient.CreateQueryFilter(
            $"PartitionKey eq {partition} and RowKey ge {range.From} and RowKey lt {range.To}");
        var pages = _table.QueryAsync<TableEntity>(filter, MaxPerCall, cancellationToken: cancel).AsPages();
        await foreach (var page in pages)
        {
            if (page.Values.Count > 0 || page.ContinuationToken is null)
            {
                return [.. page.Values.Select(MessageRow.From)];
            }
        }

        return [];
    }

    /// <summary>Groups leases into transactions within the service's limits on actions and body size.</summary>
    private static IEnumerable<List<(MessageRow Read, MessageRow Leased)>> Batches(
        IEnumerable<MessageRow> candidates, DateTimeOffset until)
    {
        var batch = new List<(MessageRow Read, MessageRow Leased)>();
        long bytes = 0;
        foreach (var read in candidates)
        {
            var leased = (read with { Status = MessageStatus.Leased, LeaseUntil = until }).Indexed();
            var size = leased.WorstCaseWireBytes();
            if (batch.Count > 0 && (batch.Count == MaxMessagesPerBatch || bytes + size > MaxBatchWireBytes))
            {
                yield return batch;
                batch = [];
                bytes = 0;
            }

            batch.Add((read, leased));
            bytes += size;
        }

        if (batch.Count > 0)
        {
            yield return batch;
        }
    }

    /// <summary>
    /// The message's index row must still be the one that was read (every change replaces it), so a message taken
    /// or changed meanwhile fails the transaction; the message itself only takes the new state.
    /// </summary>
    private static IEnumerable<TableTransactionAction> LeaseActions(MessageRow read, MessageRow leased)
    {
        var change = new TableEntity(read.Partition, MessageRows.MainKey(read.Id))
        {
            [nameof(MessageRow.Status)] = leased.Status,
            [nameof(MessageRow.LeaseUntil)] = leased.LeaseUntil,
            [nameof(MessageRow.IndexKey)] = leased.IndexKey,
        };
        return
        [
            new(TableTransactionActionType.UpdateMerge, change, ETag.All),
            new(TableTransactionActionType.Delete, new TableEntity(read.Partition, read.IndexKey), read.ETag),
            new(TableTransactionActionType.Add, leased.ToIndexEntity()),
        ];
    }
}
