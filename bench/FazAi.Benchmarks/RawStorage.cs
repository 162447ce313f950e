using Azure.Data.Tables;

namespace FazAi.Benchmarks;

/// <summary>
/// The SDK operations the endpoints are built from, on tables of their own so that the data the raw operations
/// write never slows the app's tables (Azurite scans a table for every query).
/// </summary>
public sealed class RawStorage
{
    private const string Partition = "raw";

    private readonly TableClient _reads;
    private readonly TableClient _writes;

    private RawStorage(TableClient reads, TableClient writes)
    {
        _reads = reads;
        _writes = writes;
    }

    public static async Task<RawStorage> CreateAsync(string connectionString, string suffix)
    {
        var reads = new TableClient(connectionString, "rawreads" + suffix);
        var writes = new TableClient(connectionString, "rawwrites" + suffix);
        await reads.CreateIfNotExistsAsync();
        await writes.CreateIfNotExistsAsync();
        await reads.AddEntityAsync(new TableEntity(Partition, "point") { ["Value"] = "x" });
        for (var i = 0; i < 20; i++)
        {
            await reads.AddEntityAsync(new TableEntity(Partition + "-list", $"row{i:D4}") { ["Name"] = $"group {i}" });
        }

        return new RawStorage(reads, writes);
    }

    public Task PointReadAsync() => _reads.GetEntityAsync<TableEntity>(Partition, "point");

    public async Task QueryAsync()
    {
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {Partition + "-list"}");
        await foreach (var page in _reads.QueryAsync<TableEntity>(filter).AsPages())
        {
            _ = page.Values.Count;
        }
    }

    /// <summary>One entity-group transaction inserting <paramref name="entities"/> new rows.</summary>
    public Task BatchInsertAsync(int entities)
    {
        // One partition for all, as the app's QR rows share one; fresh row keys so every insert is new.
        var key = Guid.NewGuid().ToString("N");
        return _writes.SubmitTransactionAsync(Enumerable.Range(0, entities).Select(i =>
            new TableTransactionAction(
                TableTransactionActionType.Add, new TableEntity(Partition, $"{key}-{i}") { ["Value"] = "x" })));
    }
}
