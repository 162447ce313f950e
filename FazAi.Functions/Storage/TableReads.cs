using System.Runtime.CompilerServices;
using Azure.Data.Tables;

namespace FazAi.Functions.Storage;

/// <summary>
/// Reads shared by the stores; every filter is built by the SDK from parameters, never by concatenation.
/// </summary>
public static class TableReads
{
    /// <summary>The service allows 15 comparisons per filter: one for the partition, the rest for row keys.</summary>
    public const int RowKeysPerQuery = 14;

    /// <summary>
    /// All rows of a partition whose key lies in [<paramref name="from"/>, <paramref name="to"/>), every page.
    /// </summary>
    public static async Task<List<T>> RangeAsync<T>(
        TableClient table, string partition, string from, string to, CancellationToken cancel)
        where T : class, ITableEntity, new()
    {
        var filter = TableClient.CreateQueryFilter(
            $"PartitionKey eq {partition} and RowKey ge {from} and RowKey lt {to}");
        var rows = new List<T>();
        await foreach (var row in table.QueryAsync<T>(filter, 1000, cancellationToken: cancel))
        {
            rows.Add(row);
        }

        return rows;
    }

    /// <summary>The rows of one partition with the given keys: one query per 14 keys, missing keys skipped.</summary>
    public static async Task<List<T>> ByRowKeysAsync<T>(
        TableClient table, string partition, IEnumerable<string> rowKeys, CancellationToken cancel)
        where T : class, ITableEntity, new()
    {
        var queries = rowKeys.Distinct(StringComparer.Ordinal).Chunk(RowKeysPerQuery).Select(async chunk =>
        {
            var format = "PartitionKey eq {0} and (" +
                string.Join(" or ", chunk.Select((_, i) => $"RowKey eq {{{i + 1}}}")) + ")";
            var filter = TableClient.CreateQueryFilter(
                FormattableStringFactory.Create(format, [partition, .. chunk]));
            var rows = new List<T>();
            await foreach (var row in table.QueryAsync<T>(filter, 1000, cancellationToken: cancel))
            {
                rows.Add(row);
            }

            return rows;
        });
        return [.. (await Task.WhenAll(queries)).SelectMany(rows => rows)];
    }
}
