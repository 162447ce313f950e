using Azure;
using Azure.Data.Tables;
using FazAi.Functions.Http;
using FazAi.Functions.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FazAi.Functions.Logins;

/// <summary>The QR login flow: windows save and confirm codes, people claim them, the timer expires them.</summary>
public sealed class LoginStore(
    StorageAccount storage, IOptions<FazAiOptions> options, TimeProvider clock, ILogger<LoginStore> logger)
{
    /// <summary>How many free codes one claim looks at, so that racing callers spread over different codes.</summary>
    private const int ClaimCandidates = 16;

    /// <summary>Bounds the retries of a change that keeps losing races, so a call always ends.</summary>
    private const int MaxAttempts = 8;

    private readonly TableClient _table = storage.Logins;
    private readonly TimeSpan _qrLifetime = options.Value.QrLifetime;

    private DateTimeOffset Now => WireTime.Truncate(clock.GetUtcNow());

    /// <summary>
    /// <c>/wx/savesrc</c>: a new code in <c>wait</c>, or, with an id, that login refreshed back to <c>wait</c>.
    /// </summary>
    public async Task<Login> SaveQrCodeAsync(string src, string pgvSi, string? id, CancellationToken cancel)
    {
        return id is null
            ? await CreateAsync(src, pgvSi, cancel)
            : await RefreshAsync(id, src, pgvSi, cancel);
    }

    private async Task<Login> CreateAsync(string src, string pgvSi, CancellationToken cancel)
    {
        var login = new LoginRow { Id = Ids.New(), Src = src, PgvSi = pgvSi, Status = LoginStatus.Wait, Time = Now };
        login.RowKey = LoginRows.LoginKey(login.Id);
        var queue = QueueRow.For(login);
        login.QueueKey = queue.RowKey;

        try
        {
            await _table.SubmitTransactionAsync(
                [
                    new(TableTransactionActionType.Add, login),
                    new(TableTransactionActionType.Add, queue),
                    new(TableTransactionActionType.UpsertReplace, PgvRowFor(pgvSi, login.Id)),
                ],
                cancel);
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            // A new id cannot collide: an earlier try of this very transaction committed and its answer was lost.
            var stored = await ReadAsync(login.Id, cancel);
            if (stored is null)
            {
                throw;
            }

            logger.LogInformation("QR code {LoginId} was already saved by a retried request", login.Id);
            return stored.ToLogin(Now, _qrLifetime);
        }

        logger.LogInformation("Saved QR code {LoginId}", login.Id);
        return login.ToLogin(login.Time, _qrLifetime);
    }

    private async Task<Login> RefreshAsync(string id, string src, string pgvSi, CancellationToken cancel)
    {
        for (var attempt = 1; ; attempt++)
        {
            var login = await ReadAsync(id, cancel) ?? throw ApiException.NotFound($"A login with _id {id}");
            var oldQueueKey = login.QueueKey;
            login.Src = src;
            login.PgvSi = pgvSi;
            login.Status = LoginStatus.Wait;
            login.Time = Now;
            login.WxName = null;
            login.WxUin = null;
            var queue = QueueRow.For(login);
            login.QueueKey = queue.RowKey;

            List<TableTransactionAction> actions =
            [
                new(TableTransactionActionType.UpdateReplace, login, login.ETag),
                new(TableTransactionActionType.UpsertReplace, PgvRowFor(pgvSi, login.Id)),
                .. MoveQueueRow(oldQueueKey, ETag.All, queue),
            ];

            if (await TableWrites.TrySubmitAsync(_table, actions, cancel))
            {
                logger.LogInformation("Refreshed QR code {LoginId}", id);
                return login.ToLogin(login.Time, _qrLifetime);
            }

            ThrowIfTooMany(attempt, id);
        }
    }

    /// <summary>
    /// <c>/wx/loginsync</c>: the newest login saved with <paramref name="pgvSi"/> goes online.
    /// <paramref name="beforeOnline"/> (saving the chats) runs once the login is known to be confirmable and before
    /// it goes online, so a call that fails leaves the login as it was.
    /// </summary>
    public async Task<Login> ConfirmAsync(
        string pgvSi,
        string wxName,
        string wxUin,
        Func<CancellationToken, Task>? beforeOnline,
        CancellationToken cancel)
    {
        var pointer = await ReadPgvAsync(pgvSi, cancel)
            ?? throw ApiException.NotFound("A QR code with this pgv_si");

        for (var attempt = 1; ; attempt++)
        {
            var login = await ReadAsync(pointer.LoginId, cancel);
            if (login is null || login.PgvSi != pgvSi)
            {
                throw ApiException.NotFound("A QR code with this pgv_si");
            }

            // Past its lifetime a code reads as expired, timer or not; it can no longer go online.
            if (LoginRules.StatusAt(login.Status, login.Time, Now, _qrLifetime) == LoginStatus.Expired)
            {
                throw ApiException.Conflict("This QR code has expired; save a new one.");
            }

            if (login.Status == LoginStatus.Online && login.WxUin != wxUin)
            {
                // Whoever holds this login's _id as a token must not find themselves in another account.
                throw ApiException.Conflict(
                    "This QR code is logged in as another account; save a new QR code for the next login.");
            }

            if (beforeOnline is not null)
            {
                await beforeOnline(cancel);
                beforeOnline = null;
            }

            if (login.Status == LoginStatus.Online && login.WxName == wxName)
            {
                return login.ToLogin(Now, _qrLifetime);
            }

            var oldQueueKey = login.QueueKey;
            if (login.Status != LoginStatus.Online)
            {
                login.Time = Now;
            }

            login.Status = LoginStatus.Online;
            login.HandedOut = true;
            login.WxName = wxName;
            login.WxUin = wxUin;
            login.QueueKey = "";
            var actions = new List<TableTransactionAction>
            {
                new(TableTransactionActionType.UpdateReplace, login, login.ETag),
            };
            if (oldQueueKey.Length > 0)
            {
                var oldQueueRow = new TableEntity(LoginRows.Partition, oldQueueKey);
                actions.Add(new(TableTransactionActionType.Delete, oldQueueRow, ETag.All));
            }

            if (await TableWrites.TrySubmitAsync(_table, actions, cancel))
            {
                logger.LogInformation("Login {LoginId} is online for account {WxUin}", login.Id, wxUin);
                return login.ToLogin(login.Time, _qrLifetime);
            }

            ThrowIfTooMany(attempt, login.Id);
        }
    }

    /// <summary><c>/wx/login</c>: hands one free, unexpired code to exactly one caller.</summary>
    public async Task<Login> ClaimAsync(CancellationToken cancel)
    {
        for (var round = 1; round <= MaxAttempts; round++)
        {
            var candidates = await FreeCodesAsync(cancel);
            if (candidates.Count == 0)
            {
                break;
            }

            Random.Shared.Shuffle(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(candidates));
            foreach (var candidate in candidates)
            {
                var now = Now;
                var claimed = new QueueRow
                {
                    RowKey = LoginRows.QueueKey(now, candidate.LoginId),
                    LoginId = candidate.LoginId,
                    Status = LoginStatus.Scanning,
                    Time = now,
                    Src = candidate.Src,
                    PgvSi = candidate.PgvSi,
                    Free = false,
                };
                var change = new TableEntity(LoginRows.Partition, LoginRows.LoginKey(candidate.LoginId))
                {
                    [nameof(LoginRow.Status)] = LoginStatus.Scanning,
                    [nameof(LoginRow.Time)] = now,
                    [nameof(LoginRow.QueueKey)] = claimed.RowKey,
                    [nameof(LoginRow.HandedOut)] = true,
                };

                // The queue row's ETag is the guard: of all callers that read it, only one can change it.
                var won = await TableWrites.TrySubmitAsync(
                    _table,
                    [
                        new(TableTransactionActionType.UpdateMerge, change, ETag.All),
                        .. MoveQueueRow(candidate.RowKey, candidate.ETag, claimed),
                    ],
                    cancel);
                if (won)
                {
                    logger.LogInformation("Handed QR code {LoginId} to a person", candidate.LoginId);
                    return new Login(
                        candidate.LoginId, candidate.Src, LoginStatus.Scanning, now, null, candidate.PgvSi, null);
                }

                logger.LogDebug("Lost the race for QR code {LoginId}", candidate.LoginId);
            }
        }

        logger.LogWarning("No free QR code to hand out");
        throw new ApiException(ApiFailure.Unavailable, "No QR code is free right now; try again shortly.");
    }

    private async Task<List<QueueRow>> FreeCodesAsync(CancellationToken cancel)
    {
        var partition = LoginRows.Partition;
        var queueStart = LoginRows.QueuePrefix;
        var firstStale = LoginRows.QueueBound(Now - _qrLifetime);
        var filter = TableClient.CreateQueryFilter(
            $"PartitionKey eq {partition} and RowKey gt {queueStart} and RowKey lt {firstStale} and Free eq {true}");
        var pages = _table.QueryAsync<QueueRow>(filter, ClaimCandidates, cancellationToken: cancel).AsPages();
        await foreach (var page in pages)
        {
            if (page.Values.Count > 0 || page.ContinuationToken is null)
            {
                return [.. page.Values];
            }
        }

        return [];
    }

    /// <summary><c>/wx/status</c>: one point read.</summary>
    public async Task<Login> GetAsync(string id, CancellationToken cancel)
    {
        var login = await ReadAsync(id, cancel) ?? throw ApiException.NotFound($"A login with _id {id}");
        return login.ToLogin(Now, _qrLifetime);
    }

    /// <summary>
    /// The timer's work: every code in <c>wait</c> or <c>scaning</c> saved before the lifetime becomes <c>expired</c>.
    /// Reads only the stale key range; a code another caller changed meanwhile is left to that caller.
    /// </summary>
    public async Task<int> ExpireStaleAsync(CancellationToken cancel)
    {
        var now = Now;
        var firstStale = LoginRows.QueueBound(now - _qrLifetime);
        var filter = TableClient.CreateQueryFilter(
            $"PartitionKey eq {LoginRows.Partition} and RowKey ge {firstStale} and RowKey lt {LoginRows.QueueEnd}");
        var expired = 0;
        await foreach (var page in _table.QueryAsync<QueueRow>(filter, 1000, cancellationToken: cancel).AsPages())
        {
            await Parallel.ForEachAsync(
                page.Values,
                new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancel },
                async (stale, token) =>
                {
                    if (await TryExpireAsync(stale, now, token))
                    {
                        Interlocked.Increment(ref expired);
                    }
                });
        }

        return expired;
    }

    private async Task<bool> TryExpireAsync(QueueRow stale, DateTimeOffset now, CancellationToken cancel)
    {
        var change = new TableEntity(LoginRows.Partition, LoginRows.LoginKey(stale.LoginId))
        {
            [nameof(LoginRow.Status)] = LoginStatus.Expired,
            [nameof(LoginRow.Time)] = now,
            [nameof(LoginRow.QueueKey)] = "",
        };
        var done = await TableWrites.TrySubmitAsync(
            _table,
            [
                new(TableTransactionActionType.Delete, stale, stale.ETag),
                new(TableTransactionActionType.UpdateMerge, change, ETag.All),
            ],
            cancel);
        if (done)
        {
            logger.LogInformation("Expired QR code {LoginId}", stale.LoginId);
        }
        else
        {
            logger.LogInformation("QR code {LoginId} changed while expiring it; left as it is", stale.LoginId);
        }

        return done;
    }

    internal async Task<LoginRow?> ReadAsync(string id, CancellationToken cancel)
    {
        var response = await _table.GetEntityIfExistsAsync<LoginRow>(
            LoginRows.Partition, LoginRows.LoginKey(id), cancellationToken: cancel);
        return response.HasValue ? response.Value : null;
    }

    private async Task<PgvRow?> ReadPgvAsync(string pgvSi, CancellationToken cancel)
    {
        var response = await _table.GetEntityIfExistsAsync<PgvRow>(
            LoginRows.Partition, LoginRows.PgvKey(pgvSi), cancellationToken: cancel);
        return response.HasValue && response.Value!.PgvSi == pgvSi ? response.Value : null;
    }

    /// <summary>
    /// Replaces a queue row by one for the login's new state. The key holds the time, so a change within the same
    /// millisecond keeps the key and updates the row in place; otherwise the old row goes and the new one comes.
    /// Either way the old row must still be there with <paramref name="etag"/>, or the transaction fails.
    /// </summary>
    private static IEnumerable<TableTransactionAction> MoveQueueRow(string oldKey, ETag etag, QueueRow next)
    {
        if (oldKey == next.RowKey)
        {
            return [new(TableTransactionActionType.UpdateReplace, next, etag)];
        }

        return oldKey.Length == 0
            ? [new(TableTransactionActionType.Add, next)]
            : [new(TableTransactionActionType.Delete, new TableEntity(LoginRows.Partition, oldKey), etag),
                new(TableTransactionActionType.Add, next)];
    }

    private static PgvRow PgvRowFor(string pgvSi, string loginId) =>
        new() { RowKey = LoginRows.PgvKey(pgvSi), PgvSi = pgvSi, LoginId = loginId };

    private void ThrowIfTooMany(int attempt, string id)
    {
        if (attempt < MaxAttempts)
        {
            return;
        }

        logger.LogWarning("Login {LoginId} kept changing under us; gave up", id);
        throw ApiException.Conflict($"Login {id} is being changed by another call; try again.");
    }
}
