using FazAi.Functions.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Options;

namespace FazAi.Functions.Materials;

/// <summary>An account's images and mp3s: its person uploads, lists, reads, deletes them; its window reads.</summary>
public sealed class MaterialFunctions(Api api, MaterialStore materials, IOptions<FazAiOptions> options)
{
    /// <summary>POST <c>/user/upload</c>: multipart <c>wxuin</c>, <c>type</c>, then the file <c>pics</c>.</summary>
    [Function("UploadMaterial")]
    public Task<IActionResult> Upload(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "user/upload")] HttpRequest request) =>
        api.HandleUserAsync(
            request,
            cancel => UploadForm.ReadAsync(request, options.Value, cancel),
            form => form.WxUin,
            async (form, account, cancel) => await materials.UploadAsync(account.WxUin, form, cancel));

    /// <summary>GET <c>/user/files/show</c>: the account's materials of one type, newest first.</summary>
    [Function("ListMaterials")]
    public Task<IActionResult> List(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "user/files/show")] HttpRequest request) =>
        api.HandleUserAsync(request, async (p, account, cancel) =>
            await materials.ListAsync(account.WxUin, p.RequiredChoice("type", MaterialTypes.All), cancel));

    /// <summary>GET <c>/user/files/{wxuin}/{type}/{name}</c>: the file's bytes, no envelope unless it fails.</summary>
    [Function("DownloadMaterial")]
    public Task<IActionResult> Download(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "user/files/{wxuin}/{type}/{name}")]
        HttpRequest request,
        string wxuin,
        string type,
        string name) =>
        api.HandleUserAsync(
            request,
            _ => Task.FromResult(FileRoute.Read(request, wxuin, type, name)),
            route => route.WxUin,
            async (route, account, cancel) =>
                new MaterialFileResult(await materials.OpenAsync(account.WxUin, route.Type, route.Name, cancel)));

    /// <summary>DELETE or POST <c>/user/files/delete</c>: removes the material <c>_id</c>, row and blob.</summary>
    [Function("DeleteMaterial")]
    public Task<IActionResult> Delete(
        [HttpTrigger(AuthorizationLevel.Anonymous, "delete", "post", Route = "user/files/delete")]
        HttpRequest request) =>
        api.HandleUserAsync(request, async (p, account, cancel) =>
            await materials.DeleteAsync(account.WxUin, p.RequiredId(), cancel));
}
