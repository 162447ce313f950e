using System.Net;
using FazAi.Functions.Tests.Infrastructure;

namespace FazAi.Functions.Tests.Materials;

/// <summary>
/// Storage failing part-way: an upload whose row cannot be written takes its blob back, and a delete removes the row
/// before the blob, so no failure leaves a row pointing at no file.
/// </summary>
public sealed class MaterialFailureTests : AppTests
{
    private const string WxUin = "207364874";

    private string _token = null!;

    protected override async Task ArrangeAsync()
    {
        _token = await Client.LogInAsync(WxUin);
    }

    [Fact]
    public async Task An_upload_whose_row_write_finds_no_table_is_500_and_its_blob_is_deleted()
    {
        await App.Storage.Materials.DeleteAsync();
        var body = Uploads.Form(WxUin, "image").File("pics", Uploads.Fixture("sample.jpg"));

        var reply = await Client.UploadAsync(body, _token);

        Assert.Equal((HttpStatusCode.InternalServerError, 5), (reply.Status, reply.Code));
        Assert.Contains("blob PUT", string.Join("\n", App.Requests.Log));
        Assert.Empty(await App.BlobNamesAsync());
    }

    [Fact]
    public async Task An_upload_whose_row_write_cannot_reach_storage_is_503_and_leaves_nothing()
    {
        App.Faults.FailWhere(request => request.StartsWith($"table POST /devstoreaccount1/materials{App.Suffix}"));
        var body = Uploads.Form(WxUin, "mp3").File("pics", Uploads.Fixture("sample.mp3"));

        var reply = await Client.UploadAsync(body, _token);

        Assert.Equal((HttpStatusCode.ServiceUnavailable, 5), (reply.Status, reply.Code));
        Assert.True(App.Faults.Failed > 0);
        App.Faults.Clear();
        await App.AssertNothingStoredAsync();
    }

    [Fact]
    public async Task A_large_upload_whose_row_write_fails_deletes_its_committed_blocks()
    {
        App.Faults.FailWhere(request => request.StartsWith($"table POST /devstoreaccount1/materials{App.Suffix}"));
        var body = Uploads.Form(WxUin, "mp3").GeneratedFile("pics", Uploads.Mp3FrameHeader, 9L * 1024 * 1024);

        var reply = await Client.UploadAsync(body, _token);

        Assert.Equal((HttpStatusCode.ServiceUnavailable, 5), (reply.Status, reply.Code));
        Assert.Contains("comp=blocklist", string.Join("\n", App.Requests.Log));
        App.Faults.Clear();
        await App.AssertNothingStoredAsync();
    }

    /// <summary>The one case that leaves something: a blob nobody lists, uses or can name. Never a row.</summary>
    [Fact]
    public async Task When_neither_the_row_nor_the_undo_can_be_written_the_upload_is_503_and_leaves_no_row()
    {
        App.Faults.FailWhere(request =>
            request.StartsWith($"table POST /devstoreaccount1/materials{App.Suffix}") ||
            request.StartsWith($"blob DELETE /devstoreaccount1/materials-{App.Suffix}/"));
        var body = Uploads.Form(WxUin, "image").File("pics", Uploads.Fixture("sample.png"));

        var reply = await Client.UploadAsync(body, _token);

        Assert.Equal((HttpStatusCode.ServiceUnavailable, 5), (reply.Status, reply.Code));
        App.Faults.Clear();
        Assert.Equal(0, await App.RowCountAsync());
        Assert.Single(await App.BlobNamesAsync());
    }

    [Fact]
    public async Task A_delete_whose_row_delete_fails_is_503_and_keeps_row_and_file_usable()
    {
        var name = await Client.UploadOkAsync(_token, WxUin, "image", Uploads.Fixture("sample.jpg"));
        var id = await IdAsync();
        App.Faults.FailWhere(request =>
            request.StartsWith("table POST /devstoreaccount1/$batch", StringComparison.Ordinal));

        var reply = await Client.PostJsonAsync("/user/files/delete", new { wxuin = WxUin, _id = id }, _token);

        Assert.Equal((HttpStatusCode.ServiceUnavailable, 5), (reply.Status, reply.Code));
        App.Faults.Clear();
        Assert.Equal(id, await IdAsync());
        using var request = new HttpRequestMessage(HttpMethod.Get, Uploads.FilePath(WxUin, "image", name));
        request.Headers.Add("token", _token);
        using var download = await Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
    }

    [Fact]
    public async Task A_delete_whose_blob_delete_fails_still_removes_the_row_first_leaving_no_row_without_a_file()
    {
        var name = await Client.UploadOkAsync(_token, WxUin, "mp3", Uploads.Fixture("sample-id3.mp3"));
        var listed = await Client.GetReplyAsync($"/user/files/show?wxuin={WxUin}&type=mp3", _token);
        var id = listed.Array[0]!["_id"]!.GetValue<string>();
        App.Faults.FailWhere(request => request.StartsWith($"blob DELETE /devstoreaccount1/materials-{App.Suffix}/"));

        var reply = await Client.PostJsonAsync("/user/files/delete", new { wxuin = WxUin, _id = id }, _token);

        Assert.Equal(HttpStatusCode.OK, reply.Status);
        Assert.Equal(name, reply.Text("name"));
        App.Faults.Clear();
        Assert.Equal(0, await App.RowCountAsync());
        Assert.Empty((await Client.GetReplyAsync($"/user/files/show?wxuin={WxUin}&type=mp3", _token)).Array);
        Assert.Equal([$"{WxUin}/mp3/{name}"], await App.BlobNamesAsync());
    }

    private async Task<string> IdAsync()
    {
        var listed = await Client.GetReplyAsync($"/user/files/show?wxuin={WxUin}&type=image", _token);
        return Assert.Single(listed.Array)!["_id"]!.GetValue<string>();
    }
}
