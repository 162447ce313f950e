using FazAi.Functions.Groups;
using FazAi.Functions.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace FazAi.Functions.Logins;

/// <summary>The QR login endpoints: windows save and confirm codes, people claim them and watch their status.</summary>
public sealed class LoginFunctions(Api api, LoginStore logins, GroupStore groups)
{
    public const int MaxPgvSiLength = 256;

    /// <summary>
    /// POST <c>/wx/savesrc</c>: a window saves a new QR code, or refreshes the one named by <c>_id</c>.
    /// </summary>
    [Function("SaveQrCode")]
    public Task<IActionResult> SaveQrCode(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "wx/savesrc")] HttpRequest request) =>
        api.HandleAsync(request, async (p, cancel) => await logins.SaveQrCodeAsync(
            QrCodeSource.Check(p.RequiredString("src", QrCodeSource.MaxBytes)),
            p.RequiredString("pgv_si", MaxPgvSiLength),
            p.OptionalId(),
            cancel));

    /// <summary>
    /// POST <c>/wx/loginsync</c>: a window confirms that its code was scanned, optionally with the chats.
    /// </summary>
    [Function("ConfirmLogin")]
    public Task<IActionResult> ConfirmLogin(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "wx/loginsync")] HttpRequest request) =>
        api.HandleAsync(request, async (p, cancel) =>
        {
            var pgvSi = p.RequiredString("pgv_si", MaxPgvSiLength);
            var name = Validate.NotBlank("name", p.RequiredString("name", Validate.MaxNameLength));
            var wxuin = Validate.Wxuin(p.OptionalString("wxuin", Validate.MaxWxuinLength)
                ?? p.OptionalString("uin", Validate.MaxWxuinLength));
            var chats = GroupInput.ParseOptional(p.OptionalArray("chatGroup"), "chatGroup");

            Func<CancellationToken, Task>? saveChats = chats is null
                ? null
                : async token => await groups.SaveAsync(wxuin, name, chats, token);
            return await logins.ConfirmAsync(pgvSi, name, wxuin, saveChats, cancel);
        });

    /// <summary>GET <c>/wx/login</c>: a person claims a free QR code to show.</summary>
    [Function("ClaimQrCode")]
    public Task<IActionResult> ClaimQrCode(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "wx/login")] HttpRequest request) =>
        api.HandleAsync(request, async (_, cancel) => await logins.ClaimAsync(cancel));

    /// <summary>GET <c>/wx/status</c>: a person polls the state of the code they were given.</summary>
    [Function("LoginStatus")]
    public Task<IActionResult> Status(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "wx/status")] HttpRequest request) =>
        api.HandleAsync(request, async (p, cancel) => await logins.GetAsync(p.RequiredId(), cancel));
}
