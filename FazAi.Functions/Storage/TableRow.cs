using Azure;
using Azure.Data.Tables;

namespace FazAi.Functions.Storage;

/// <summary>The four system properties every typed row of the app's tables carries.</summary>
public abstract class TableRow : ITableEntity
{
    public string PartitionKey { get; set; } = "";

    public string RowKey { get; set; } = "";

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }
}
