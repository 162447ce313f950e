using FazAi.Functions.Storage;

namespace FazAi.Functions.Logins;

/// <summary>
/// The rows of the logins table. Every row of the QR flow lives in one partition so that a state change can update
/// the login and its queue entry in one transaction:
/// <list type="bullet">
/// <item><c>login:{id}</c> — the login itself, read by <c>/wx/status</c> and by every token check;</item>
/// <item><c>queue:{newest-first time}:{id}</c> — one per login in <c>wait</c> or <c>scaning</c>, so that free codes
/// and stale codes are each one key range, whatever else the table holds;</item>
/// <item><c>pgv:{encoded pgv_si}</c> — the newest login saved with that cookie value.</item>
/// </list>
/// </summary>
internal static class LoginRows
{
    public const string Partition = "qr";
    public const string QueuePrefix = "queue:";

    /// <summary>The first key after every queue key (<c>;</c> follows <c>:</c>).</summary>
    public const string QueueEnd = "queue;";

    public static string LoginKey(string id) => "login:" + id;

    public static string QueueKey(DateTimeOffset time, string id) => $"{QueuePrefix}{Keys.NewestFirst(time)}:{id}";

    /// <summary>Queue keys below this bound belong to codes saved after <paramref name="cutoff"/>.</summary>
    public static string QueueBound(DateTimeOffset cutoff) => QueuePrefix + Keys.NewestFirst(cutoff);

    public static string PgvKey(string pgvSi) => "pgv:" + Keys.Encode(pgvSi);
}

internal sealed class LoginRow : TableRow
{
    public LoginRow()
    {
        PartitionKey = LoginRows.Partition;
    }

    public string Id { get; set; } = "";

    public string Src { get; set; } = "";

    public string Status { get; set; } = LoginStatus.Wait;

    public DateTimeOffset Time { get; set; }

    public string? WxName { get; set; }

    public string PgvSi { get; set; } = "";

    public string? WxUin { get; set; }

    /// <summary>RowKey of this login's queue row, or empty when it has none.</summary>
    public string QueueKey { get; set; } = "";

    /// <summary>
    /// True once the code was handed to a person or went online. Its <c>_id</c> is then someone's token (or will
    /// be), so it is never handed to anyone else, not even after a refresh.
    /// </summary>
    public bool HandedOut { get; set; }

    public Login ToLogin(DateTimeOffset now, TimeSpan qrLifetime) =>
        new(Id, Src, LoginRules.StatusAt(Status, Time, now, qrLifetime), Time, WxName, PgvSi, WxUin);
}

/// <summary>A pending login's entry in the queue, carrying what a claim needs to answer without another read.</summary>
internal sealed class QueueRow : TableRow
{
    public QueueRow()
    {
        PartitionKey = LoginRows.Partition;
    }

    public string LoginId { get; set; } = "";

    public string Status { get; set; } = LoginStatus.Wait;

    public DateTimeOffset Time { get; set; }

    public string Src { get; set; } = "";

    public string PgvSi { get; set; } = "";

    /// <summary>Whether <c>/wx/login</c> may hand this code out: waiting and never handed out before.</summary>
    public bool Free { get; set; }

    public static QueueRow For(LoginRow login) => new()
    {
        RowKey = LoginRows.QueueKey(login.Time, login.Id),
        LoginId = login.Id,
        Status = login.Status,
        Time = login.Time,
        Src = login.Src,
        PgvSi = login.PgvSi,
        Free = login.Status == LoginStatus.Wait && !login.HandedOut,
    };
}

internal sealed class PgvRow : TableRow
{
    public PgvRow()
    {
        PartitionKey = LoginRows.Partition;
    }

    public string PgvSi { get; set; } = "";

    public string LoginId { get; set; } = "";
}

internal static class LoginRules
{
    /// <summary>A code past its lifetime reads as expired even before the timer has marked it.</summary>
    public static string StatusAt(string status, DateTimeOffset time, DateTimeOffset now, TimeSpan qrLifetime) =>
        status is LoginStatus.Wait or LoginStatus.Scanning && time + qrLifetime <= now ? LoginStatus.Expired : status;
}
