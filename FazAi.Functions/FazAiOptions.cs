using System.ComponentModel.DataAnnotations;

namespace FazAi.Functions;

/// <summary>Every setting of the app, bound once from the <c>FazAi</c> configuration section.</summary>
public sealed class FazAiOptions
{
    public const string Section = "FazAi";

    /// <summary>Flat app setting the Functions host resolves for the timer's <c>%…%</c> schedule.</summary>
    public const string ScheduleSetting = "ExpireQrCodesSchedule";

    public const string DefaultSchedule = "0 */1 * * * *";

    [Required, RegularExpression(TableNamePattern)]
    public string LoginsTable { get; set; } = "logins";

    [Required, RegularExpression(TableNamePattern)]
    public string GroupsTable { get; set; } = "groups";

    [Required, RegularExpression(TableNamePattern)]
    public string MessagesTable { get; set; } = "messages";

    [Required, RegularExpression(TableNamePattern)]
    public string MaterialsTable { get; set; } = "materials";

    [Required, RegularExpression("^[a-z0-9](?!.*--)[a-z0-9-]{1,61}[a-z0-9]$")]
    public string MaterialsContainer { get; set; } = "materials";

    /// <summary>How long a saved QR code can wait to be claimed and scanned before it expires.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan QrLifetime { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How long an online login's <c>_id</c> works as a token.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "365.00:00:00")]
    public TimeSpan SessionLifetime { get; set; } = TimeSpan.FromDays(7);

    /// <summary>How long a message handed to a window stays leased before it returns to the outbox.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan LeaseTime { get; set; } = TimeSpan.FromMinutes(5);

    [Range(1, 1L << 30)]
    public long MaxImageBytes { get; set; } = 10L * 1024 * 1024;

    [Range(1, 1L << 30)]
    public long MaxMp3Bytes { get; set; } = 20L * 1024 * 1024;

    /// <summary>Largest JSON or form body accepted by the endpoints that are not uploads.</summary>
    [Range(1024, 1L << 30)]
    public long MaxBodyBytes { get; set; } = 8L * 1024 * 1024;

    /// <summary>
    /// Time one storage request may take; with the retries it stays well inside the function timeout.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:01:00")]
    public TimeSpan StorageTimeout { get; set; } = TimeSpan.FromSeconds(5);

    [Range(0, 5)]
    public int StorageRetries { get; set; } = 2;

    /// <summary>Six-field NCRONTAB schedule of <c>ExpireQrCodes</c>, read from <see cref="ScheduleSetting"/>.</summary>
    [Required, RegularExpression(@"^\s*(\S+\s+){5}\S+\s*$", ErrorMessage = "must be a six-field NCRONTAB expression")]
    public string ExpireQrCodesSchedule { get; set; } = DefaultSchedule;

    private const string TableNamePattern = "^[A-Za-z][A-Za-z0-9]{2,62}$";

    public long MaxBytesFor(string materialType) => materialType == "mp3" ? MaxMp3Bytes : MaxImageBytes;
}
