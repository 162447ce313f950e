using FazAi.Functions.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace FazAi.Functions.Messages;

/// <summary>The window's outbox: lease the due messages, acknowledge each one after sending it.</summary>
public sealed class OutboxFunctions(Api api, Outbox outbox)
{
    public const int MaxErrorLength = 1_000;

    /// <summary>GET <c>/wx/message</c>: leases the account's due messages to the calling window.</summary>
    [Function("LeaseMessages")]
    public Task<IActionResult> Lease(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "wx/message")] HttpRequest request) =>
        api.HandleAsync(request, async (p, cancel) =>
            await outbox.LeaseAsync(Validate.Wxuin(p.OptionalString("wxuin", Validate.MaxWxuinLength)), cancel));

    /// <summary>POST <c>/wx/message/ack</c>: the window reports a leased message as sent or failed.</summary>
    [Function("AckMessage")]
    public Task<IActionResult> Ack(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "wx/message/ack")] HttpRequest request) =>
        api.HandleAsync(request, async (p, cancel) =>
        {
            var id = p.RequiredId();
            var result = p.RequiredChoice("result", MessageStatus.Sent, MessageStatus.Failed);
            var error = p.OptionalString("error", MaxErrorLength, allowControl: true);
            return await outbox.AckAsync(id, result, error, cancel);
        });
}
