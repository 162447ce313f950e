using System.Net;
using FazAi.Functions.Tests.Infrastructure;

namespace FazAi.Functions.Tests.Materials;

/// <summary>
/// Storage failing part-way: an upload whose row cannot be written takes its blob back, and a delete removes the row
/// before the blob, so no failure leaves a row pointing at no file.
/// </summary>
public sealed class MaterialFailureTests : IAsyncLifetime
{
    private const string WxUin = "207364874";

    private TestApp _app = null!;
    private HttpClient _client = null!;
    private string _token = null!;

    public async Task InitializeAsync()
    {
        _app = await TestApp.StartAsync();
        _client = await _app.HttpAsync();
        _token = await _client.LogInAsync(WxUin);
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task An_upload_whose_row_write_finds_no_table_is_500_and_its_blob_is_deleted()
    {
        await _app.Storage.Materials.DeleteAsync();
        var body = Uploads.Form(WxUin, "image").File("pics", Uploads.Fixture("sample.jpg"));

        var reply = await _client.UploadAsync(body, _token);

        Assert.Equal((HttpStatusCode.InternalServerError, 5), (reply.Status, reply.Code));
        Assert.Contains("blob PUT", string.Join("\n", _app.Requests.Log));
        Assert.Empty(await _app.BlobNamesAsync());
    }

    [Fact]
    public async Task An_upload_whose_row_write_cannot_reach_storage_is_503_and_leaves_nothing()
    {
        _app.Faults.FailWhere(request => request.StartsWith($"table POST /devstoreaccount1/materials{_app.Suffix}"));
        var body = Uploads.Form(WxUin, "mp3").File("pics", Uploads.Fixture("sample.mp3"));

        var reply = await _client.UploadAsync(body, _token);

        Assert.Equal((HttpStatusCode.ServiceUnavailable, 5), (reply.Status, reply.Code));
        Assert.True(_app.Faults.Failed > 0);
        _app.Faults.Clear();
        await _app.AssertNothingStoredAsync();
    }

    [Fact]
    public async Task A_large_upload_whose_row_write_fails_deletes_its_committed_blocks()
    {
        _app.Faults.FailWhere(request => request.StartsWith($"table POST /devstoreaccount1/materials{_app.Suffix}"));
        var body = Uploads.Form(WxUin, "mp3").GeneratedFile("pics", Uploads.Mp3FrameHeader, 9L * 1024 * 1024);

        var reply = await _client.UploadAsync(body, _token);

        Assert.Equal((HttpStatusCode.ServiceUnavailable, 5), (reply.Status, reply.Code));
        Assert.Contains("comp=blocklist", string.Join("\n", _app.Requests.Log));
        _app.Faults.Clear();
        await _app.AssertNothingStoredAsync();
    }

    /// <summary>The one case that leaves something: a blob nobody lists, uses or can name. Never a row.</summary>
    [Fact]
    public async Task When_neither_the_row_nor_the_undo_can_be_written_the_upload_is_503_and_leaves_no_row()
    {
        _app.Faults.FailWhere(request =>
            request.StartsWith($"table POST /devstoreaccount1/materials{_app.Suffix}") ||
            request.StartsWith($"blob DELETE /devstoreaccount1/materials-{_app.Suffix}/"));
        var body = Uploads.Form(WxUin, "image").File("pics", Uploads.Fixture("sample.png"));

        var reply = await _client.UploadAsync(body, _token);

        Assert.Equal((HttpStatusCode.ServiceUnavailable, 5), (reply.Status, reply.Code));
        _app.Faults.Clear();
        Assert.Equal(0, await _app.RowCountAsync());
        Assert.Single(await _app.BlobNamesAsync());
    }

    [Fact]
    public async Task A_delete_whose_row_delete_fails_is_503_and_keeps_row_and_file_usable()
    {
        var name = await _client.UploadOkAsync(_token, WxUin, "image", Uploads.Fixture("sample.jpg"));
        var id = await IdAsync();
        _app.Faults.FailWhere(request =>
            request.StartsWith("table POST /devstoreaccount1/$batch", StringComparison.Ordinal));

        var reply = await _client.PostJsonAsync("/user/files/delete", new { wxuin = WxUin, _id = id }, _token);

        Assert.Equal((HttpStatusCode.ServiceUnavailable, 5), (reply.Status, reply.Code));
        _app.Faults.Clear();
        Assert.Equal(id, await IdAsync());
        using var request = new HttpRequestMessage(HttpMethod.Get, Uploads.FilePath(WxUin, "image", name));
        request.Headers.Add("token", _token);
        using var download = await _client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
    }

    [Fact]
    public async Task A_delete_whose_blob_delete_fails_still_removes_the_row_first_leaving_no_row_without_a_file()
    {
        var name = await _client.UploadOkAsync(_token, WxUin, "mp3", Uploads.Fixture("sample-id3.mp3"));
        var listed = await _client.GetReplyAsync($"/user/files/show?wxuin={WxUin}&type=mp3", _token);
        var id = listed.Array[0]!["_id"]!.GetValue<string>();
        _app.Faults.FailWhere(request => request.StartsWith($"blob DELETE /devstoreaccount1/materials-{_app.Suffix}/"));

        var reply = await _client.PostJsonAsync("/user/files/delete", new { wxuin = WxUin, _id = id }, _token);

        Assert.Equal(HttpStatusCode.OK, reply.Status);
        Assert.Equal(name, reply.Text("name"));
        _app.Faults.Clear();
        Assert.Equal(0, await _app.RowCountAsync());
        Assert.Empty((await _client.GetReplyAsync($"/user/files/show?wxuin={WxUin}&type=mp3", _token)).Array);
        Assert.Equal([$"{WxUin}/mp3/{name}"], await _app.BlobNamesAsync());
    }

    private async Task<string> IdAsync()
    {
        var listed = await _client.GetReplyAsync($"/user/files/show?wxuin={WxUin}&type=image", _token);
        return Assert.Single(listed.Array)!["_id"]!.GetValue<string>();
    }
}
