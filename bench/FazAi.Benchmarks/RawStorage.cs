using Azure.Data.Tables;
using FazAi.Functions.Http;
using FazAi.Functions.Logins;
using FazAi.Functions.Messages;
using FazAi.Functions.Storage;

namespace FazAi.Benchmarks;

/// <summary>
/// The storage requests each endpoint makes, sent straight through the SDK against the app's own tables, with the
/// same keys and filters. An endpoint's ratio to its baseline is then the cost of everything the app adds: HTTP,
/// parameter checks, entity mapping and the envelope. (Azurite scans a table for every query, so a baseline on
/// another, smaller table would flatter the SDK.)
/// </summary>
public sealed class RawStorage(StorageAccount storage, string wxuin, string token)
{
    private readonly string _groupsPartition = Keys.Encode(wxuin);
    private readonly string _messagesPartition = MessageRows.PartitionFor(wxuin);

    public Task ReadLoginAsync() =>
        storage.Logins.GetEntityAsync<TableEntity>(LoginRows.Partition, LoginRows.LoginKey(token));

    /// <summary>
    /// A new QR code's transaction, the same rows the app writes: the login, its queue row, its cookie row.
    /// </summary>
    public Task SaveCodeAsync(int i)
    {
        var login = new LoginRow
        {
            Id = Ids.New(),
            Src = "https://q.example/b",
            PgvSi = $"raw-{i}",
            Status = LoginStatus.Wait,
            Time = DateTimeOffset.UtcNow,
        };
        login.RowKey = LoginRows.LoginKey(login.Id);
        var queue = QueueRow.For(login);
        login.QueueKey = queue.RowKey;
        var pgv = new PgvRow { RowKey = LoginRows.PgvKey(login.PgvSi), PgvSi = login.PgvSi, LoginId = login.Id };
        return storage.Logins.SubmitTransactionAsync(
        [
            new(TableTransactionActionType.Add, login),
            new(TableTransactionActionType.Add, queue),
            new(TableTransactionActionType.UpsertReplace, pgv),
        ]);
    }

    public Task ListGroupsAsync() =>
        DrainAsync(
            storage.Groups,
            TableClient.CreateQueryFilter($"PartitionKey eq {_groupsPartition} and RowKey gt {"!"}"));

    public Task FindGroupAsync(string sign) =>
        TableReads.ByRowKeysAsync<TableEntity>(
            storage.Groups, _groupsPartition, [Keys.Encode(sign)], CancellationToken.None);

    public Task ListMessagesAsync(string status)
    {
        var (from, to) = MessageRows.Listing(wxuin, status);
        return RangeAsync(from, to);
    }

    /// <summary>A new message's transaction: its main row and its index row.</summary>
    public Task SaveMessageAsync()
    {
        var key = Guid.NewGuid().ToString("N");
        return storage.Messages.SubmitTransactionAsync(
        [
            new(TableTransactionActionType.Add, Entity(_messagesPartition, "bench-msg:" + key)),
            new(TableTransactionActionType.Add, Entity(_messagesPartition, "bench-index:" + key)),
        ]);
    }

    public async Task ReadOutboxAsync(DateTimeOffset now)
    {
        var (runOutFrom, runOutTo) = MessageRows.LeasesRunOut(wxuin, now);
        var (dueFrom, dueTo) = MessageRows.Due(wxuin, now);
        await Task.WhenAll(
            RangeAsync(runOutFrom, runOutTo),
            RangeAsync(dueFrom, dueTo));
    }

    private Task<List<TableEntity>> RangeAsync(string from, string to) =>
        TableReads.RangeAsync<TableEntity>(storage.Messages, _messagesPartition, from, to, CancellationToken.None);

    private static TableEntity Entity(string partition, string row) => new(partition, row) { ["Value"] = "x" };

    private static async Task DrainAsync(TableClient table, string filter)
    {
        await foreach (var page in table.QueryAsync<TableEntity>(filter).AsPages())
        {
            _ = page.Values.Count;
        }
    }
}
