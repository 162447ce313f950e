using System.Net;
using System.Text.RegularExpressions;
using FazAi.Functions.Tests.Infrastructure;

namespace FazAi.Functions.Tests.Materials;

/// <summary>Real files go up through HTTP, are listed, come back byte for byte and are deleted.</summary>
public sealed partial class MaterialRoundTripTests : AppTests
{
    [Theory]
    [InlineData("sample.jpg", "image", "image/jpeg", "jpeg")]
    [InlineData("sample.png", "image", "image/png", "png")]
    [InlineData("sample.gif", "image", "image/gif", "gif")]
    [InlineData("sample.mp3", "mp3", "audio/mpeg", "mp3")]
    [InlineData("sample-id3.mp3", "mp3", "audio/mpeg", "mp3")]
    public async Task A_real_file_is_uploaded_listed_downloaded_byte_identical_and_deleted(
        string fixture, string type, string contentType, string extension)
    {
        var token = await Client.LogInAsync("207364874");
        var bytes = Uploads.Fixture(fixture);

        var uploaded = await Client.UploadAsync(Uploads.Form("207364874", type).File("pics", bytes, fixture), token);

        Assert.True(uploaded is { Status: HttpStatusCode.OK, Code: 0 }, uploaded.ToString());
        var name = uploaded.Text("name");
        Assert.Matches(GeneratedName(), name);
        Assert.EndsWith("." + extension, name);
        Assert.StartsWith(App.Clock.Now.ToUnixTimeMilliseconds().ToString(), name);
        Assert.Equal($"207364874/{type}/{name}", uploaded.Text("src"));
        Assert.Equal([$"207364874/{type}/{name}"], await App.BlobNamesAsync());

        var listed = await Client.GetReplyAsync($"/user/files/show?wxuin=207364874&type={type}", token);
        var material = Assert.Single(listed.Array)!.AsObject();
        Assert.Equal(
            ["_id", "contentType", "createTime", "name", "path", "size", "type", "wxuin"],
            material.Select(p => p.Key).Order(StringComparer.Ordinal));
        Assert.Matches("^[0-9a-f]{24}$", material["_id"]!.GetValue<string>());
        Assert.Equal("207364874", material["wxuin"]!.GetValue<string>());
        Assert.Equal($"207364874/{type}/", material["path"]!.GetValue<string>());
        Assert.Equal(name, material["name"]!.GetValue<string>());
        Assert.Equal(type, material["type"]!.GetValue<string>());
        Assert.Equal(bytes.Length, material["size"]!.GetValue<long>());
        Assert.Equal(contentType, material["contentType"]!.GetValue<string>());
        Assert.Equal("2026-12-04T08:00:00.000Z", material["createTime"]!.GetValue<string>());

        using var download = await GetAsync(Uploads.FilePath("207364874", type, name), token);
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal(contentType, download.Content.Headers.ContentType?.ToString());
        Assert.Equal(bytes, await download.Content.ReadAsByteArrayAsync());

        var deleted = await SendAsync(
            HttpMethod.Delete, $"/user/files/delete?wxuin=207364874&_id={material["_id"]}", token);
        Assert.Equal(HttpStatusCode.OK, deleted.Status);
        Assert.True(JsonNodeEquals(material, deleted.Object), deleted.ToString());
        Assert.Empty((await Client.GetReplyAsync($"/user/files/show?wxuin=207364874&type={type}", token)).Array);
        await App.AssertNothingStoredAsync();
        var gone = await Client.GetReplyAsync(Uploads.FilePath("207364874", type, name), token);
        Assert.Equal((HttpStatusCode.NotFound, 6), (gone.Status, gone.Code));
    }

    private async Task<HttpResponseMessage> GetAsync(string path, string token)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("token", token);
        return await Client.SendAsync(request);
    }

    private async Task<Reply> SendAsync(HttpMethod method, string path, string token)
    {
        using var request = new HttpRequestMessage(method, path);
        return await Wire.SendAsync(Client, request, token);
    }

    private static bool JsonNodeEquals(System.Text.Json.Nodes.JsonNode a, System.Text.Json.Nodes.JsonNode b) =>
        System.Text.Json.Nodes.JsonNode.DeepEquals(a, b);

    [GeneratedRegex("^[0-9]{19}\\.(jpeg|png|gif|mp3)$")]
    private static partial Regex GeneratedName();
}
