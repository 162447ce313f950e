using System.Net;
using Azure.Data.Tables;
using FazAi.Functions.Materials;
using FazAi.Functions.Tests.Infrastructure;

namespace FazAi.Functions.Tests.Materials;

/// <summary>Listing, downloading and deleting: only the account's own files, within the request budget.</summary>
public sealed class MaterialFilesTests : AppTests
{
    private const string WxUin = "207364874";
    private const string OtherWxUin = "100000001";

    private string _token = null!;

    protected override async Task ArrangeAsync()
    {
        _token = await Client.LogInAsync(WxUin);
    }

    [Fact]
    public async Task The_list_holds_only_the_type_asked_for_newest_first_for_one_token_read_and_one_query()
    {
        var oldest = await Client.UploadOkAsync(_token, WxUin, "image", Uploads.Fixture("sample.jpg"));
        App.Clock.Advance(TimeSpan.FromMinutes(1));
        var song = await Client.UploadOkAsync(_token, WxUin, "mp3", Uploads.Fixture("sample.mp3"));
        App.Clock.Advance(TimeSpan.FromMinutes(1));
        var middle = await Client.UploadOkAsync(_token, WxUin, "image", Uploads.Fixture("sample.png"));
        App.Clock.Advance(TimeSpan.FromMinutes(1));
        var newest = await Client.UploadOkAsync(_token, WxUin, "image", Uploads.Fixture("sample.gif"));
        App.Requests.Reset();

        var images = await Client.GetReplyAsync($"/user/files/show?wxuin={WxUin}&type=image", _token);

        Assert.Equal(2, App.Requests.Count);
        Assert.Equal([newest, middle, oldest], images.Array.Select(m => m!["name"]!.GetValue<string>()));
        Assert.Equal(
            ["2026-12-04T08:03:00.000Z", "2026-12-04T08:02:00.000Z", "2026-12-04T08:00:00.000Z"],
            images.Array.Select(m => m!["createTime"]!.GetValue<string>()));
        var songs = await Client.GetReplyAsync($"/user/files/show?wxuin={WxUin}&type=mp3", _token);
        Assert.Equal([song], songs.Array.Select(m => m!["name"]!.GetValue<string>()));
    }

    [Fact]
    public async Task The_list_follows_every_page_one_request_per_1000()
    {
        var rows = Enumerable.Range(0, 1005).Select(i => new TableEntity(WxUin, $"mp3:{1764835200000000000L + i}.mp3")
        {
            ["Id"] = $"{i:x24}",
            ["WxUin"] = WxUin,
            ["Path"] = $"{WxUin}/mp3/",
            ["Name"] = $"{1764835200000000000L + i}.mp3",
            ["Type"] = "mp3",
            ["Size"] = 1L,
            ["ContentType"] = "audio/mpeg",
            ["CreateTime"] = new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero).AddSeconds(i),
        });
        foreach (var batch in rows.Chunk(100))
        {
            await App.Storage.Materials.SubmitTransactionAsync(
                batch.Select(row => new TableTransactionAction(TableTransactionActionType.Add, row)));
        }

        App.Requests.Reset();

        var listed = await Client.GetReplyAsync($"/user/files/show?wxuin={WxUin}&type=mp3", _token);

        Assert.Equal(1005, listed.Array.Count);
        Assert.Equal(1005, listed.Array.Select(m => m!["_id"]!.GetValue<string>()).Distinct().Count());
        Assert.Equal($"{1764835200000000000L + 1004}.mp3", listed.Array[0]!["name"]!.GetValue<string>());
        Assert.Equal(3, App.Requests.Count);
    }

    [Theory]
    [InlineData("/user/files/show?wxuin=207364874", "type")]
    [InlineData("/user/files/show?wxuin=207364874&type=video", "type")]
    [InlineData("/user/files/show?wxuin=207364874&type=image&type=mp3", "type")]
    [InlineData("/user/files/show?type=image", "wxuin")]
    public async Task Listing_with_a_missing_or_bad_parameter_is_400_naming_it(string path, string parameter)
    {
        var reply = await Client.GetReplyAsync(path, _token);

        Assert.Equal((HttpStatusCode.BadRequest, 1), (reply.Status, reply.Code));
        Assert.Contains(parameter, reply.Info);
    }

    [Fact]
    public async Task Another_accounts_token_cannot_list_download_or_delete_and_nothing_changes()
    {
        var name = await Client.UploadOkAsync(_token, WxUin, "image", Uploads.Fixture("sample.jpg"));
        var id = await IdOfAsync("image");
        var other = await Client.LogInAsync(OtherWxUin);

        var list = await Client.GetReplyAsync($"/user/files/show?wxuin={WxUin}&type=image", other);
        var download = await Client.GetReplyAsync(Uploads.FilePath(WxUin, "image", name), other);
        var delete = await Client.PostJsonAsync("/user/files/delete", new { wxuin = WxUin, _id = id }, other);

        Assert.Equal((HttpStatusCode.Forbidden, 3), (list.Status, list.Code));
        Assert.Equal((HttpStatusCode.Forbidden, 3), (download.Status, download.Code));
        Assert.Equal((HttpStatusCode.Forbidden, 3), (delete.Status, delete.Code));
        Assert.Single(await App.BlobNamesAsync());
        Assert.Equal(1, await App.RowCountAsync());
    }

    [Fact]
    public async Task An_id_of_another_account_is_404_within_ones_own_account_and_that_material_stays()
    {
        var other = await Client.LogInAsync(OtherWxUin);
        await Client.UploadOkAsync(other, OtherWxUin, "image", Uploads.Fixture("sample.jpg"));
        var othersId = await IdOfAsync("image", OtherWxUin, other);

        var reply = await Client.PostJsonAsync("/user/files/delete", new { wxuin = WxUin, _id = othersId }, _token);

        Assert.Equal((HttpStatusCode.NotFound, 6), (reply.Status, reply.Code));
        Assert.Single(await App.BlobNamesAsync());
        Assert.Equal(1, await App.RowCountAsync());
    }

    [Fact]
    public async Task A_download_streams_the_bytes_with_their_content_type_for_one_token_read_and_one_blob_read()
    {
        var png = Uploads.Fixture("sample.png");
        var name = await Client.UploadOkAsync(_token, WxUin, "image", png, "photo.jpg");
        App.Requests.Reset();
        using var request = new HttpRequestMessage(HttpMethod.Get, Uploads.FilePath(WxUin, "image", name));
        request.Headers.Authorization = new("Bearer", _token);

        using var response = await Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("image/png", response.Content.Headers.ContentType?.ToString());
        Assert.Equal(png.Length, response.Content.Headers.ContentLength);
        Assert.Equal(["nosniff"], response.Headers.GetValues("X-Content-Type-Options"));
        Assert.Equal(png, await response.Content.ReadAsByteArrayAsync());
        Assert.Equal((1, 1), (App.Requests.Tables, App.Requests.Blobs));
    }

    [Theory]
    [InlineData("/user/files/207364874/video/1764835200000123456.jpeg", HttpStatusCode.BadRequest, "type")]
    [InlineData("/user/files/207364874/image/photo.jpeg", HttpStatusCode.BadRequest, "name")]
    [InlineData("/user/files/207364874/image/1764835200000123456.exe", HttpStatusCode.BadRequest, "name")]
    [InlineData("/user/files/207364874/image/1764835200000123456.mp3", HttpStatusCode.BadRequest, "name")]
    [InlineData("/user/files/207364874/mp3/1764835200000123456.jpeg", HttpStatusCode.BadRequest, "name")]
    [InlineData("/user/files/207364874/image/1764835200000123456.jpeg", HttpStatusCode.NotFound, "does not exist")]
    public async Task A_download_of_a_bad_or_unknown_file_is_an_envelope_error(
        string path, HttpStatusCode status, string info)
    {
        var reply = await Client.GetReplyAsync(path, _token);

        Assert.Equal(status, reply.Status);
        Assert.Equal(status == HttpStatusCode.NotFound ? 6 : 1, reply.Code);
        Assert.Contains(info, reply.Info);
        Assert.Equal("application/json; charset=utf-8", reply.ContentType);
    }

    [Fact]
    public async Task A_download_without_a_token_is_401()
    {
        var name = await Client.UploadOkAsync(_token, WxUin, "mp3", Uploads.Fixture("sample-id3.mp3"));

        var reply = await Client.GetReplyAsync(Uploads.FilePath(WxUin, "mp3", name));

        Assert.Equal((HttpStatusCode.Unauthorized, 3), (reply.Status, reply.Code));
    }

    [Fact]
    public async Task Delete_by_form_post_returns_the_record_costs_four_requests_and_a_second_delete_is_404()
    {
        await Client.UploadOkAsync(_token, WxUin, "mp3", Uploads.Fixture("sample.mp3"));
        var listed = (await Client.GetReplyAsync($"/user/files/show?wxuin={WxUin}&type=mp3", _token)).Array[0]!;
        var id = listed["_id"]!.GetValue<string>();
        App.Requests.Reset();

        var deleted = await Client.PostFormAsync("/user/files/delete", [new("wxuin", WxUin), new("_id", id)], _token);

        Assert.Equal(HttpStatusCode.OK, deleted.Status);
        Assert.True(System.Text.Json.Nodes.JsonNode.DeepEquals(listed, deleted.Value), deleted.ToString());
        Assert.Equal((3, 1), (App.Requests.Tables, App.Requests.Blobs));
        await App.AssertNothingStoredAsync();
        var again = await Client.PostFormAsync("/user/files/delete", [new("wxuin", WxUin), new("_id", id)], _token);
        Assert.Equal((HttpStatusCode.NotFound, 6), (again.Status, again.Code));
    }

    [Theory]
    [InlineData("/user/files/delete?wxuin=207364874", HttpStatusCode.BadRequest)]
    [InlineData("/user/files/delete?wxuin=207364874&_id=58bcda903c7cd807bef04b1", HttpStatusCode.BadRequest)]
    [InlineData("/user/files/delete?wxuin=207364874&_id=58BCDA903C7CD807BEF04B16", HttpStatusCode.BadRequest)]
    [InlineData("/user/files/delete?wxuin=207364874&_id=58bcda903c7cd807bef04b16", HttpStatusCode.NotFound)]
    public async Task Delete_with_a_missing_malformed_or_unknown_id_is_an_envelope_error(
        string path, HttpStatusCode status)
    {
        using var request = new HttpRequestMessage(HttpMethod.Delete, path);

        var reply = await Wire.SendAsync(Client, request, _token);

        Assert.Equal(status, reply.Status);
        Assert.Contains("_id", reply.Info);
    }

    [Fact]
    public async Task Existing_names_are_the_accounts_own_of_that_type_one_query_per_14_names()
    {
        var mine = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            mine.Add(await Client.UploadOkAsync(_token, WxUin, "image", Uploads.Fixture("sample.gif")));
        }

        var song = await Client.UploadOkAsync(_token, WxUin, "mp3", Uploads.Fixture("sample.mp3"));
        var other = await Client.LogInAsync(OtherWxUin);
        var others = await Client.UploadOkAsync(other, OtherWxUin, "image", Uploads.Fixture("sample.gif"));
        var unknown = Enumerable.Range(0, 20).Select(i => $"{1764835200000000000L + i}.png").ToList();
        string[] malformed = ["../x.jpeg", "", "a b.png", "1.exe", "1764835200000123456.jpeg/x", "x'or'1.gif"];
        App.Requests.Reset();

        var existing = await App.Get<MaterialStore>().ExistingNamesAsync(
            WxUin, "image", [.. mine, song, others, .. unknown, .. malformed], CancellationToken.None);

        Assert.Equal(mine.Order(), existing.Order());
        // 3 + 1 + 20 well-formed image names: two queries; the mp3 name and the malformed ones are not looked up.
        Assert.Equal(2, App.Requests.Count);
    }

    private async Task<string> IdOfAsync(string type, string wxuin = WxUin, string? token = null)
    {
        var listed = await Client.GetReplyAsync($"/user/files/show?wxuin={wxuin}&type={type}", token ?? _token);
        return listed.Array[0]!["_id"]!.GetValue<string>();
    }
}
