using Azure.Data.Tables;
using FazAi.Functions.Messages;
using FazAi.Functions.Storage;

namespace FazAi.Functions.Materials;

/// <summary>
/// Looks materials up in the materials table by its layout: partition = the encoded <c>wxuin</c>, row =
/// <c>{type}:{name}</c>. One query per 14 names.
/// </summary>
public sealed class MaterialCatalog(StorageAccount storage) : IMaterialCatalog
{
    public async Task<IReadOnlySet<string>> ExistingNamesAsync(
        string wxuin, string type, IReadOnlyCollection<string> names, CancellationToken cancel)
    {
        var prefix = type + ":";
        var rows = await TableReads.ByRowKeysAsync<TableEntity>(
            storage.Materials, Keys.Encode(wxuin), names.Select(name => prefix + name), cancel);
        return rows.Select(row => row.RowKey[prefix.Length..]).ToHashSet(StringComparer.Ordinal);
    }
}
