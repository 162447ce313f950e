using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Microsoft.Extensions.Options;

namespace FazAi.Functions.Storage;

/// <summary>The app's tables and container, resolved once from the registered service clients.</summary>
public sealed class StorageAccount(TableServiceClient tables, BlobServiceClient blobs, IOptions<FazAiOptions> options)
{
    public TableClient Logins { get; } = tables.GetTableClient(options.Value.LoginsTable);

    public TableClient Groups { get; } = tables.GetTableClient(options.Value.GroupsTable);

    public TableClient Messages { get; } = tables.GetTableClient(options.Value.MessagesTable);

    public TableClient Materials { get; } = tables.GetTableClient(options.Value.MaterialsTable);

    public BlobContainerClient MaterialFiles { get; } = blobs.GetBlobContainerClient(options.Value.MaterialsContainer);

    /// <summary>Creates whatever table or container is missing; safe to run at every start.</summary>
    public async Task EnsureCreatedAsync(CancellationToken cancel)
    {
        await Task.WhenAll(
            Logins.CreateIfNotExistsAsync(cancel),
            Groups.CreateIfNotExistsAsync(cancel),
            Messages.CreateIfNotExistsAsync(cancel),
            Materials.CreateIfNotExistsAsync(cancel),
            MaterialFiles.CreateIfNotExistsAsync(cancellationToken: cancel));
    }
}
