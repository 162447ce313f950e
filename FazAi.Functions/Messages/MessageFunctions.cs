using FazAi.Functions.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace FazAi.Functions.Messages;

/// <summary>A person's messages: schedule, keep drafts, list, delete.</summary>
public sealed class MessageFunctions(Api api, MessageStore messages)
{
    /// <summary>GET or POST <c>/user/message/send</c>: creates a message, or with <c>_id</c> updates one.</summary>
    [Function("SendMessage")]
    public Task<IActionResult> Send(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "post", Route = "user/message/send")] HttpRequest request) =>
        api.HandleUserAsync(request, async (p, account, cancel) =>
            await messages.SaveAsync(account, MessageInput.Read(p, account.WxUin), cancel));

    /// <summary>GET <c>/user/message/show</c>: the account's messages in one status, newest send time first.</summary>
    [Function("ShowMessages")]
    public Task<IActionResult> Show(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "user/message/show")] HttpRequest request) =>
        api.HandleUserAsync(request, async (p, account, cancel) =>
        {
            var status = p.RequiredChoice(
                "status", MessageStatus.Sent, MessageStatus.Draft, MessageStatus.Scheduled, MessageStatus.Failed);
            return await messages.ListAsync(account.WxUin, status, cancel);
        });

    /// <summary>DELETE or POST <c>/user/message/delete</c>: deletes a message that is not being sent.</summary>
    [Function("DeleteMessage")]
    public Task<IActionResult> Delete(
        [HttpTrigger(AuthorizationLevel.Anonymous, "delete", "post", Route = "user/message/delete")]
        HttpRequest request) =>
        api.HandleUserAsync(request, async (p, account, cancel) =>
            await messages.DeleteAsync(account.WxUin, p.RequiredId(), cancel));
}
