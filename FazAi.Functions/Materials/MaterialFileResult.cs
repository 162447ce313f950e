using Azure.Storage.Blobs.Models;
using Microsoft.AspNetCore.Mvc;

namespace FazAi.Functions.Materials;

/// <summary>Writes a material's bytes as they arrive from the blob, with the content type stored with it.</summary>
public sealed class MaterialFileResult(BlobDownloadStreamingResult download) : IActionResult
{
    public async Task ExecuteResultAsync(ActionContext context)
    {
        using var _ = download;
        var response = context.HttpContext.Response;
        response.StatusCode = 200;
        response.ContentType = download.Details.ContentType;
        response.ContentLength = download.Details.ContentLength;

        // The bytes were checked to be an image or audio; browsers must not guess that they are anything else.
        response.Headers.XContentTypeOptions = "nosniff";
        await download.Content.CopyToAsync(response.Body, context.HttpContext.RequestAborted);
    }
}
