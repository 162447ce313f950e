using System.Net;
using Azure.Data.Tables;

namespace FazAi.Functions.Tests.Infrastructure;

/// <summary>Uploads and checks that the materials tests share.</summary>
public static class Uploads
{
    /// <summary>An MPEG-2 layer III frame header: what a generated mp3 starts with.</summary>
    public static readonly byte[] Mp3FrameHeader = [0xFF, 0xF3, 0x40, 0xC4];

    public static byte[] Fixture(string name) =>
        File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Fixtures", name));

    public static MultipartBody Form(string wxuin, string type) =>
        new MultipartBody().Field("wxuin", wxuin).Field("type", type);

    public static async Task<Reply> UploadAsync(this HttpClient client, HttpContent body, string? token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/user/upload") { Content = body };
        return await Wire.SendAsync(client, request, token);
    }

    /// <summary>Uploads a file that must be accepted; returns its generated name.</summary>
    public static async Task<string> UploadOkAsync(
        this HttpClient client, string token, string wxuin, string type, byte[] bytes, string fileName = "a.bin")
    {
        var reply = await client.UploadAsync(Form(wxuin, type).File("pics", bytes, fileName), token);
        Assert.True(reply.Status == HttpStatusCode.OK, reply.ToString());
        return reply.Text("name");
    }

    /// <summary>The request path of a material's <c>src</c>, its wxuin percent-encoded as one segment.</summary>
    public static string FilePath(string wxuin, string type, string name) =>
        $"/user/files/{Uri.EscapeDataString(wxuin)}/{type}/{name}";

    public static async Task<int> RowCountAsync(this TestApp app)
    {
        var rows = 0;
        await foreach (var _ in app.Storage.Materials.QueryAsync<TableEntity>())
        {
            rows++;
        }

        return rows;
    }

    public static async Task<List<string>> BlobNamesAsync(this TestApp app)
    {
        var names = new List<string>();
        await foreach (var blob in app.Storage.MaterialFiles.GetBlobsAsync())
        {
            names.Add(blob.Name);
        }

        return names;
    }

    /// <summary>No material row and no blob: what every refused or failed upload must leave.</summary>
    public static async Task AssertNothingStoredAsync(this TestApp app)
    {
        Assert.Empty(await app.BlobNamesAsync());
        Assert.Equal(0, await app.RowCountAsync());
    }
}
