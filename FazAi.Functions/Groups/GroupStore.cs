using System.Globalization;
using Azure;
using Azure.Data.Tables;
using FazAi.Functions.Http;
using FazAi.Functions.Storage;
using Microsoft.Extensions.Logging;

namespace FazAi.Functions.Groups;

/// <summary>An account's chats: replaced as a set by windows, listed and targeted by people.</summary>
public sealed class GroupStore(StorageAccount storage, TimeProvider clock, ILogger<GroupStore> logger)
{
    /// <summary>
    /// A row beside the groups of each account whose ETag changes with every batch of a save. Each batch is
    /// conditional on the ETag the save saw last, so two saves cannot interleave unnoticed: the one that notices
    /// starts again from what is stored, and the set that ends up stored is one of the submitted sets.
    /// <c>!</c> sorts before every encoded sign.
    /// </summary>
    private const string VersionKey = "!";

    /// <summary>One slot of every 100-entity batch holds the version row.</summary>
    private const int GroupsPerBatch = 99;

    private const int MaxAttempts = 5;

    private readonly TableClient _table = storage.Groups;

    /// <summary>
    /// Replaces the account's group set: upserts first, deletes last, so a failure part-way never loses a group present
    /// in both sets.
    /// </summary>
    public async Task<IReadOnlyList<Group>> SaveAsync(
        string wxuin, string wxname, IReadOnlyList<GroupInput> groups, CancellationToken cancel)
    {
        var partition = Keys.Encode(wxuin);
        for (var attempt = 1; ; attempt++)
        {
            var (version, existing) = await ReadAllAsync(partition, cancel);
            var wanted = groups.Select(g => ToRow(partition, wxuin, wxname, g, existing)).ToList();
            var changed = wanted.Where(row => !existing.TryGetValue(row.RowKey, out var old) || !SameContent(old, row));
            var wantedKeys = wanted.Select(row => row.RowKey).ToHashSet(StringComparer.Ordinal);
            var gone = existing.Values.Where(row => !wantedKeys.Contains(row.RowKey));

            var actions = changed
                .Select(row => new TableTransactionAction(TableTransactionActionType.UpsertReplace, row))
                .Concat(gone.Select(row =>
                    new TableTransactionAction(TableTransactionActionType.Delete, row, ETag.All)))
                .ToList();
            if (await TryApplyAsync(partition, version, actions, cancel))
            {
                logger.LogInformation(
                    "Saved {Count} groups of account {WxUin} ({Changes} rows changed)",
                    wanted.Count,
                    wxuin,
                    actions.Count);
                return [.. wanted.OrderBy(row => row.RowKey, StringComparer.Ordinal).Select(row => row.ToGroup())];
            }

            logger.LogInformation("Groups of account {WxUin} changed during a save; starting again", wxuin);
            if (attempt >= MaxAttempts)
            {
                throw ApiException.Conflict("The groups of this account are being saved by another call; try again.");
            }
        }
    }

    /// <summary>Every group of the account, one request per 1,000.</summary>
    public async Task<IReadOnlyList<Group>> ListAsync(string wxuin, CancellationToken cancel)
    {
        var partition = Keys.Encode(wxuin);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {partition} and RowKey gt {VersionKey}");
        var groups = new List<Group>();
        await foreach (var row in _table.QueryAsync<GroupRow>(filter, 1000, cancellationToken: cancel))
        {
            groups.Add(row.ToGroup());
        }

        return groups;
    }

    /// <summary>
    /// The account's saved groups among <paramref name="signs"/>, by sign: keyed queries of 14 signs each.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, Group>> FindAsync(
        string wxuin, IEnumerable<string> signs, CancellationToken cancel)
    {
        // Keyed reads, 14 signs a query, in parallel: the cost follows the targets named, never the size of the set.
        var wanted = signs.ToHashSet(StringComparer.Ordinal);
        var rows = await TableReads.ByRowKeysAsync<GroupRow>(
            _table, Keys.Encode(wxuin), wanted.Select(Keys.Encode), cancel);
        return rows.Select(row => row.ToGroup())
            .Where(group => group.WxUin == wxuin && wanted.Contains(group.GroupSign))
            .ToDictionary(group => group.GroupSign, StringComparer.Ordinal);
    }

    private async Task<(ETag? Version, Dictionary<string, GroupRow> Rows)> ReadAllAsync(
        string partition, CancellationToken cancel)
    {
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {partition}");
        var rows = new Dictionary<string, GroupRow>(StringComparer.Ordinal);
        ETag? version = null;
        await foreach (var row in _table.QueryAsync<GroupRow>(filter, 1000, cancellationToken: cancel))
        {
            if (row.RowKey == VersionKey)
            {
                version = row.ETag;
            }
            else
            {
                rows[row.RowKey] = row;
            }
        }

        return (version, rows);
    }

    /// <summary>
    /// Submits the changes in batches, each carrying the version row conditional on the last ETag seen.
    /// </summary>
    private async Task<bool> TryApplyAsync(
        string partition, ETag? version, List<TableTransactionAction> actions, CancellationToken cancel)
    {
        // Upserts come first in the list and deletes last, so batches keep that order too.
        foreach (var batch in actions.Chunk(GroupsPerBatch))
        {
            var stamp = new TableEntity(partition, VersionKey)
            {
                ["Saved"] = clock.GetUtcNow().ToString("O", CultureInfo.InvariantCulture),
            };
            TableTransactionAction guard = version is { } etag
                ? new(TableTransactionActionType.UpdateReplace, stamp, etag)
                : new(TableTransactionActionType.Add, stamp);
            try
            {
                var responses = await _table.SubmitTransactionAsync([guard, .. batch], cancel);
                version = responses.Value[0].Headers.ETag
                    ?? throw new InvalidOperationException("A batch answer carried no ETag for the version row.");
            }
            catch (RequestFailedException e) when (e.Status is 404 or 409 or 412)
            {
                return false;
            }
        }

        return true;
    }

    private static GroupRow ToRow(
        string partition, string wxuin, string wxname, GroupInput group, Dictionary<string, GroupRow> existing)
    {
        var rowKey = Keys.Encode(group.Sign);
        return new GroupRow
        {
            PartitionKey = partition,
            RowKey = rowKey,
            Id = existing.TryGetValue(rowKey, out var old) ? old.Id : Ids.New(),
            WxUin = wxuin,
            WxName = wxname,
            GroupName = group.Name,
            GroupSign = group.Sign,
        };
    }

    private static bool SameContent(GroupRow a, GroupRow b) =>
        a.WxUin == b.WxUin && a.WxName == b.WxName && a.GroupName == b.GroupName && a.GroupSign == b.GroupSign;
}
