using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace FazAi.Functions.Logins;

/// <summary>Marks QR codes that were not scanned within their lifetime as expired.</summary>
public sealed class ExpireQrCodesFunction(LoginStore logins, ILogger<ExpireQrCodesFunction> logger)
{
    [Function("ExpireQrCodes")]
    public async Task Run(
        [TimerTrigger("%" + FazAiOptions.ScheduleSetting + "%")] TimerInfo timer,
        CancellationToken cancel)
    {
        var expired = await logins.ExpireStaleAsync(cancel);
        logger.LogInformation(
            "Expired {Count} QR codes (tick was late: {IsPastDue})", expired, timer.IsPastDue);
    }
}
