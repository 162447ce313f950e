using Azure;
using Azure.Data.Tables;

namespace FazAi.Functions.Storage;

/// <summary>Writes shared by the stores.</summary>
public static class TableWrites
{
    /// <summary>
    /// Submits one transaction; false when another change got there first (a lost race, not an error).
    /// </summary>
    public static async Task<bool> TrySubmitAsync(
        TableClient table, IEnumerable<TableTransactionAction> actions, CancellationToken cancel)
    {
        try
        {
            await table.SubmitTransactionAsync(actions, cancel);
            return true;
        }
        catch (RequestFailedException e) when (e.Status is 404 or 409 or 412)
        {
            return false;
        }
    }
}
