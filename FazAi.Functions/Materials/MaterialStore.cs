using System.Buffers;
using System.Security.Cryptography;
using Azure;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using FazAi.Functions.Http;
using FazAi.Functions.Messages;
using FazAi.Functions.Storage;
using Microsoft.Extensions.Logging;

namespace FazAi.Functions.Materials;

/// <summary>
/// An account's images and mp3s: a blob per file and a row per blob. The blob is written before its row and deleted
/// after it, so a row always has its blob; a failure in between can only leave a blob without a row, which no list,
/// message or check ever sees.
/// </summary>
public sealed class MaterialStore(StorageAccount storage, TimeProvider clock, ILogger<MaterialStore> logger)
    : IMaterialCatalog
{
    /// <summary>
    /// Block size of an upload: a file up to this size is one Put Blob request, a larger one a block per this many
    /// bytes and a commit; either way at most one block of the file is in memory.
    /// </summary>
    public const int BlockBytes = 4 * 1024 * 1024;

    /// <summary>
    /// Block buffers, reused by every upload of this instance. Not <see cref="ArrayPool{T}.Shared"/>: it keeps large
    /// arrays per thread, and an upload rents on one thread and returns on another, so most rentals missed and
    /// allocated 4 MiB afresh. Holds at most one buffer per upload that ran at the same time, up to 16 (64 MiB).
    /// </summary>
    private static readonly ArrayPool<byte> Blocks = ArrayPool<byte>.Create(BlockBytes, 16);

    private readonly TableClient _table = storage.Materials;
    private readonly BlobContainerClient _files = storage.MaterialFiles;

    /// <summary>
    /// The blob of a material: <c>{folder}/{type}/{name}</c>, where the folder is <see cref="Keys.Encode"/> of the
    /// <c>wxuin</c>. A plain <c>wxuin</c> (digits, as WeChat's are) stays as it is, so the blob name equals the
    /// contract's <c>src</c>; any other becomes a digest, so a <c>/</c>, <c>#</c> or <c>?</c> in it can never add or
    /// hide a path segment. A plain one ending in a dot (<c>.</c>, <c>..</c>) is a digest too: HTTP resolves dot
    /// segments away, and Blob Storage advises against segments ending in a dot. The API always shows the raw
    /// <c>src</c>; only this method knows the blob name.
    /// </summary>
    public static string BlobNameOf(string wxuin, string type, string name)
    {
        var folder = Keys.Encode(wxuin);
        return $"{(folder.EndsWith('.') ? Keys.Digest(wxuin) : folder)}/{type}/{name}";
    }

    /// <summary>
    /// <c>/user/upload</c>: streams the file into a new blob, then writes its row. The blob is committed only when the
    /// whole body has been read and found valid; if the row cannot be written, the blob is deleted again.
    /// </summary>
    public async Task<StoredFile> UploadAsync(string wxuin, UploadForm form, CancellationToken cancel)
    {
        var now = WireTime.Truncate(clock.GetUtcNow());
        var name = NewName(now, form.Format);
        var blob = _files.GetBlockBlobClient(BlobNameOf(wxuin, form.Type, name));
        try
        {
            await WriteBlobAsync(blob, form.Content, form.Format.ContentType, cancel);
        }
        catch (RequestFailedException e) when (e.Status is 409 or 412)
        {
            // Another upload took the name (a chance in a million within one millisecond), or a retry found this
            // upload's own first attempt, whose answer was lost. Either way that blob is not ours to delete; in the
            // second case it stays without a row, invisible. Not yet: a sweep for blobs without rows.
            throw ApiException.Conflict("A file with the generated name exists already; upload again.");
        }

        var row = new MaterialRow
        {
            PartitionKey = Keys.Encode(wxuin),
            RowKey = MaterialRow.RowKeyOf(form.Type, name),
            Id = Ids.New(),
            WxUin = wxuin,
            Path = MaterialTypes.PathOf(wxuin, form.Type),
            Name = name,
            Type = form.Type,
            Size = form.Size,
            ContentType = form.Format.ContentType,
            CreateTime = now,
        };
        try
        {
            // The blob exists now: the row is written even if the caller has gone, so the pair is completed.
            await _table.AddEntityAsync(row, CancellationToken.None);
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            // The key is this upload's own new name: an earlier try of this very insert committed, its answer lost.
            logger.LogInformation("Row of material {Name} was already written by a retried request", name);
        }
        catch (Exception e)
        {
            await DeleteUnrecordedAsync(blob, e);
            throw;
        }

        logger.LogInformation(
            "Stored material {MaterialId} {Name} ({Size} bytes, {ContentType}) of account {WxUin}",
            row.Id, name, row.Size, row.ContentType, wxuin);
        return new StoredFile(name, row.Path + name);
    }

    /// <summary><c>/user/files/show</c>: an account's materials of a type, newest first; a request per 1,000.</summary>
    public async Task<IReadOnlyList<Material>> ListAsync(string wxuin, string type, CancellationToken cancel)
    {
        // ';' is the character after ':', so the range holds exactly the rows "{type}:…".
        var rows = await TableReads.RangeAsync<MaterialRow>(
            _table, Keys.Encode(wxuin), type + ":", type + ";", cancel);
        return
        [
            .. rows.Where(row => row.WxUin == wxuin)
                .OrderByDescending(row => row.CreateTime)
                .ThenByDescending(row => row.Name, StringComparer.Ordinal)
                .Select(row => row.ToMaterial()),
        ];
    }

    /// <summary>
    /// <c>/user/files/{wxuin}/{type}/{name}</c>: the file's content and content type, streamed from the blob as the
    /// caller reads it. One request; 404 when there is no such file.
    /// </summary>
    public async Task<BlobDownloadStreamingResult> OpenAsync(
        string wxuin, string type, string name, CancellationToken cancel)
    {
        try
        {
            var blob = _files.GetBlobClient(BlobNameOf(wxuin, type, name));
            return await blob.DownloadStreamingAsync(cancellationToken: cancel);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            throw ApiException.NotFound($"The file {type}/{name}");
        }
    }

    /// <summary>
    /// <c>/user/files/delete</c>: finds the row by <c>_id</c> within the account's partition (one query, which the
    /// service answers by reading that partition only), deletes the row, then the blob. Four requests with the token.
    /// </summary>
    public async Task<Material> DeleteAsync(string wxuin, string id, CancellationToken cancel)
    {
        var partition = Keys.Encode(wxuin);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {partition} and Id eq {id}");
        MaterialRow? row = null;
        await foreach (var found in _table.QueryAsync<MaterialRow>(filter, 1, cancellationToken: cancel))
        {
            row = found;
            break;
        }

        if (row is null || row.WxUin != wxuin)
        {
            throw ApiException.NotFound($"A material with _id {id}");
        }

        try
        {
            // The row goes first: a failure after it leaves a blob nobody can list or use, never a row without a file.
            // A one-action transaction, conditional on the ETag read, so that of concurrent deletes exactly one
            // succeeds: Azurite let several plain conditional deletes of one row succeed, but not transactions.
            await _table.SubmitTransactionAsync([new(TableTransactionActionType.Delete, row, row.ETag)], cancel);
        }
        catch (RequestFailedException e) when (e.Status is 404 or 412)
        {
            throw ApiException.NotFound($"A material with _id {id}");
        }

        var blobName = BlobNameOf(wxuin, row.Type, row.Name);
        try
        {
            // The row is gone: the blob goes too, even if the caller has gone.
            await _files.DeleteBlobIfExistsAsync(blobName, cancellationToken: CancellationToken.None);
        }
        catch (Exception e) when (e is RequestFailedException || StorageFailure.IsUnavailable(e))
        {
            // The material is gone from the API; only its bytes stay behind. Not yet: a sweep for such blobs.
            logger.LogWarning(e, "Deleted material {MaterialId} but not its blob {BlobName}", id, blobName);
        }

        logger.LogInformation("Deleted material {MaterialId} {Name} of account {WxUin}", id, row.Name, wxuin);
        return row.ToMaterial();
    }

    /// <summary>
    /// Which of <paramref name="names"/> are the account's materials of <paramref name="type"/>: one query per 14
    /// names; strings that cannot be a generated name are not looked up.
    /// </summary>
    public async Task<IReadOnlySet<string>> ExistingNamesAsync(
        string wxuin, string type, IReadOnlyCollection<string> names, CancellationToken cancel)
    {
        var rowKeys = names.Where(name => MaterialTypes.IsName(type, name))
            .Select(name => MaterialRow.RowKeyOf(type, name));
        var rows = await TableReads.ByRowKeysAsync<MaterialRow>(_table, Keys.Encode(wxuin), rowKeys, cancel);
        return rows.Where(row => row.WxUin == wxuin && row.Type == type)
            .Select(row => row.Name)
            .ToHashSet(StringComparer.Ordinal);
    }

    private static string NewName(DateTimeOffset now, FileFormat format) =>
        $"{now.ToUnixTimeMilliseconds()}{RandomNumberGenerator.GetInt32(1_000_000):D6}.{format.Extension}";

    /// <summary>
    /// Streams <paramref name="content"/> into a new blob through one pooled block buffer. A file that fits one block
    /// is one Put Blob; a larger one is staged block by block and committed at the end. Nothing is visible until that
    /// one request or the commit succeeds, so a read that fails (over the limit, a bad body, a second file) leaves no
    /// blob, only uncommitted blocks, which the service discards after a week. The blob must not exist yet.
    /// </summary>
    private static async Task WriteBlobAsync(
        BlockBlobClient blob, Stream content, string contentType, CancellationToken cancel)
    {
        var headers = new BlobHttpHeaders { ContentType = contentType };
        var mustBeNew = new BlobRequestConditions { IfNoneMatch = ETag.All };
        var buffer = Blocks.Rent(BlockBytes);
        try
        {
            var blocks = new List<string>();
            while (true)
            {
                var length = await content.ReadAtLeastAsync(
                    buffer.AsMemory(0, BlockBytes), BlockBytes, throwOnEndOfStream: false, cancel);
                using var block = new MemoryStream(buffer, 0, length, writable: false);
                if (blocks.Count == 0 && length < BlockBytes)
                {
                    await blob.UploadAsync(
                        block, new BlobUploadOptions { HttpHeaders = headers, Conditions = mustBeNew }, cancel);
                    return;
                }

                if (length > 0)
                {
                    // Block ids must all have the same length.
                    var id = Convert.ToBase64String(BitConverter.GetBytes(blocks.Count));
                    await blob.StageBlockAsync(id, block, cancellationToken: cancel);
                    blocks.Add(id);
                }

                if (length < BlockBytes)
                {
                    break;
                }
            }

            await blob.CommitBlockListAsync(
                blocks, new CommitBlockListOptions { HttpHeaders = headers, Conditions = mustBeNew }, cancel);
        }
        finally
        {
            Blocks.Return(buffer);
        }
    }

    private async Task DeleteUnrecordedAsync(BlockBlobClient blob, Exception cause)
    {
        try
        {
            await blob.DeleteIfExistsAsync(cancellationToken: CancellationToken.None);
            logger.LogWarning(cause, "Could not record the upload {BlobName}; deleted its blob", blob.Name);
        }
        catch (Exception e)
        {
            logger.LogError(
                e, "Could not record the upload {BlobName} nor delete its blob; it is left over", blob.Name);
        }
    }
}
