using FazAi.Functions.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace FazAi.Functions.Groups;

/// <summary>An account's chats: saved by its window, listed for the person.</summary>
public sealed class GroupFunctions(Api api, GroupStore groups)
{
    /// <summary>POST <c>/wx/save/group</c>: the window replaces the account's group set.</summary>
    [Function("SaveGroups")]
    public Task<IActionResult> SaveGroups(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "wx/save/group")] HttpRequest request) =>
        api.HandleAsync(request, async (p, cancel) =>
        {
            var wxuin = Validate.Wxuin(p.OptionalString("wxuin", Validate.MaxWxuinLength));
            var wxname = p.RequiredString("wxname", Validate.MaxNameLength);
            var set = GroupInput.ParseOptional(p.OptionalArray("groups"), "groups")
                ?? throw ApiException.BadParameter("groups", "is required (an empty array clears the set)");
            return await groups.SaveAsync(wxuin, wxname, set, cancel);
        });

    /// <summary>GET <c>/user/groups</c>: every group of the account.</summary>
    [Function("ListGroups")]
    public Task<IActionResult> ListGroups(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "user/groups")] HttpRequest request) =>
        api.HandleUserAsync(request, async (_, account, cancel) => await groups.ListAsync(account.WxUin, cancel));
}
