using System.Net;
using System.Text;
using FazAi.Functions.Tests.Infrastructure;

namespace FazAi.Functions.Tests.Materials;

/// <summary><c>/user/upload</c>: the bytes decide what a file is; refusals are envelopes and store nothing.</summary>
public sealed class MaterialUploadTests : AppTests
{
    private const string WxUin = "207364874";

    private string _token = null!;

    protected override async Task ArrangeAsync()
    {
        _token = await Client.LogInAsync(WxUin);
        App.Requests.Reset();
    }

    [Fact]
    public async Task A_jpeg_sent_as_text_plain_under_a_hostile_file_name_is_stored_as_image_jpeg()
    {
        var jpeg = Uploads.Fixture("sample.jpg");
        var body = Uploads.Form(WxUin, "image").File("pics", jpeg, "../../头像😀.txt", "text/plain");

        var reply = await Client.UploadAsync(body, _token);

        Assert.True(reply.Status == HttpStatusCode.OK, reply.ToString());
        Assert.EndsWith(".jpeg", reply.Text("name"));
        var blob = App.Storage.MaterialFiles.GetBlobClient($"{WxUin}/image/{reply.Text("name")}");
        Assert.Equal("image/jpeg", (await blob.GetPropertiesAsync()).Value.ContentType);
    }

    [Fact]
    public async Task An_upload_costs_the_token_read_one_blob_request_and_one_row_write()
    {
        await Client.UploadOkAsync(_token, WxUin, "image", Uploads.Fixture("sample.png"));

        Assert.True(App.Requests.Count == 3, string.Join("\n", App.Requests.Log));
        Assert.Equal((2, 1), (App.Requests.Tables, App.Requests.Blobs));
    }

    [Fact]
    public async Task A_9_MiB_file_goes_up_in_three_blocks_and_a_commit_and_comes_back_byte_identical()
    {
        const int size = 9 * 1024 * 1024;
        var body = Uploads.Form(WxUin, "mp3").GeneratedFile("pics", Uploads.Mp3FrameHeader, size).Chunked();

        var reply = await Client.UploadAsync(body, _token);

        Assert.True(reply.Status == HttpStatusCode.OK, reply.ToString());
        var log = string.Join("\n", App.Requests.Log);
        Assert.True((App.Requests.Tables, App.Requests.Blobs) == (2, 4), log);
        Assert.Equal(3, App.Requests.Log.Count(entry => entry.Contains("comp=block&")));
        Assert.Equal(1, App.Requests.Log.Count(entry => entry.Contains("comp=blocklist")));
        var expected = new byte[size];
        MultipartBody.Generate(expected, 0, Uploads.Mp3FrameHeader);
        using var request = new HttpRequestMessage(HttpMethod.Get, Uploads.FilePath(WxUin, "mp3", reply.Text("name")));
        request.Headers.Add("token", _token);
        using var download = await Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        var downloaded = await download.Content.ReadAsByteArrayAsync();
        Assert.True(expected.AsSpan().SequenceEqual(downloaded), "the downloaded bytes differ");
    }

    [Fact]
    public async Task A_text_file_named_a_jpg_is_415_and_stores_nothing()
    {
        var text = Encoding.UTF8.GetBytes("hello, this is not a picture\n");

        var body = Uploads.Form(WxUin, "image").File("pics", text, "a.jpg", "image/jpeg");

        var reply = await Client.UploadAsync(body, _token);

        Assert.Equal((HttpStatusCode.UnsupportedMediaType, 8), (reply.Status, reply.Code));
        Assert.Null(reply.Value);
        await App.AssertNothingStoredAsync();
    }

    [Theory]
    [InlineData("sample.png", "mp3", "PNG")]
    [InlineData("sample.jpg", "mp3", "JPEG")]
    [InlineData("sample.mp3", "image", "MPEG audio")]
    [InlineData("sample-id3.mp3", "image", "MPEG audio")]
    public async Task A_file_of_the_other_type_is_415_naming_what_it_is(string fixture, string type, string detected)
    {
        var body = Uploads.Form(WxUin, type).File("pics", Uploads.Fixture(fixture), fixture);

        var reply = await Client.UploadAsync(body, _token);

        Assert.Equal((HttpStatusCode.UnsupportedMediaType, 8), (reply.Status, reply.Code));
        Assert.Contains(detected, reply.Info);
        await App.AssertNothingStoredAsync();
    }

    [Theory]
    [InlineData(new byte[] { 0xFF, 0xD8 })]
    [InlineData(new byte[] { 0x47, 0x49, 0x46, 0x38, 0x38, 0x61 })]
    [InlineData(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x00 })]
    [InlineData(new byte[] { 0xFF, 0xFB, 0xF0, 0x00 })]
    [InlineData(new byte[] { 0xFF, 0xE9, 0x90, 0x00 })]
    [InlineData(new byte[] { 0x49, 0x44 })]
    public async Task Bytes_that_only_resemble_a_signature_are_415(byte[] bytes)
    {
        var type = bytes[0] is 0x49 || bytes[1] is 0xFB or 0xE9 ? "mp3" : "image";

        var reply = await Client.UploadAsync(Uploads.Form(WxUin, type).File("pics", bytes), _token);

        Assert.Equal((HttpStatusCode.UnsupportedMediaType, 8), (reply.Status, reply.Code));
        await App.AssertNothingStoredAsync();
    }

    [Fact]
    public async Task An_empty_file_is_400_naming_pics()
    {
        var reply = await Client.UploadAsync(Uploads.Form(WxUin, "image").File("pics", [], "empty.jpg"), _token);

        Assert.Equal((HttpStatusCode.BadRequest, 1), (reply.Status, reply.Code));
        Assert.Contains("pics", reply.Info);
        await App.AssertNothingStoredAsync();
    }

    [Fact]
    public async Task A_form_without_pics_is_400_naming_pics_and_reads_no_storage()
    {
        var body = Uploads.Form(WxUin, "image").File("file", Uploads.Fixture("sample.jpg"), "a.jpg");

        var reply = await Client.UploadAsync(body, _token);

        Assert.Equal((HttpStatusCode.BadRequest, 1), (reply.Status, reply.Code));
        Assert.Contains("pics", reply.Info);
        Assert.Equal(0, App.Requests.Count);
        await App.AssertNothingStoredAsync();
    }

    [Fact]
    public async Task Two_pics_parts_are_400_and_store_neither()
    {
        var body = Uploads.Form(WxUin, "image")
            .File("pics", Uploads.Fixture("sample.jpg"), "a.jpg")
            .File("pics", Uploads.Fixture("sample.png"), "b.png");

        var reply = await Client.UploadAsync(body, _token);

        Assert.Equal((HttpStatusCode.BadRequest, 1), (reply.Status, reply.Code));
        Assert.Contains("pics", reply.Info);
        await App.AssertNothingStoredAsync();
    }

    [Theory]
    [InlineData("wxuin")]
    [InlineData("type")]
    public async Task A_field_repeated_after_the_file_is_400_and_stores_nothing(string field)
    {
        var body = Uploads.Form(WxUin, "image")
            .File("pics", Uploads.Fixture("sample.jpg"), "a.jpg")
            .Field(field, field == "type" ? "mp3" : "other");

        var reply = await Client.UploadAsync(body, _token);

        Assert.Equal((HttpStatusCode.BadRequest, 1), (reply.Status, reply.Code));
        Assert.Contains(field, reply.Info);
        await App.AssertNothingStoredAsync();
    }

    [Fact]
    public async Task Unknown_fields_around_the_file_are_ignored()
    {
        var body = new MultipartBody()
            .Field("note", "前")
            .Field("wxuin", WxUin)
            .Field("type", "image")
            .File("pics", Uploads.Fixture("sample.gif"), "a.gif", "image/gif")
            .Field("after", "后");

        var reply = await Client.UploadAsync(body, _token);

        Assert.True(reply.Status == HttpStatusCode.OK, reply.ToString());
    }

    [Fact]
    public async Task Fields_after_the_file_are_400_naming_the_first_missing_one()
    {
        var body = new MultipartBody()
            .File("pics", Uploads.Fixture("sample.jpg"), "a.jpg")
            .Field("wxuin", WxUin)
            .Field("type", "image");

        var reply = await Client.UploadAsync(body, _token);

        Assert.Equal((HttpStatusCode.BadRequest, 1), (reply.Status, reply.Code));
        Assert.Contains("'type'", reply.Info);
        Assert.Contains("before", reply.Info);
        await App.AssertNothingStoredAsync();
    }

    [Fact]
    public async Task Over_64_KiB_of_fields_before_the_file_is_413_before_the_token_is_read()
    {
        var body = Uploads.Form(WxUin, "image")
            .Field("note", new string('x', 1024 * 1024))
            .File("pics", Uploads.Fixture("sample.jpg"), "a.jpg");

        var reply = await Client.UploadAsync(body, _token);

        Assert.Equal((HttpStatusCode.RequestEntityTooLarge, 8), (reply.Status, reply.Code));
        Assert.Contains("before the file", reply.Info);
        Assert.Equal(0, App.Requests.Count);
        await App.AssertNothingStoredAsync();
    }

    [Fact]
    public async Task Wxuin_and_type_may_come_from_the_query_string()
    {
        var body = new MultipartBody().File("pics", Uploads.Fixture("sample.mp3"), "a.mp3");
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/user/upload?wxuin={WxUin}&type=mp3")
        {
            Content = body,
        };

        var reply = await Wire.SendAsync(Client, request, _token);

        Assert.True(reply.Status == HttpStatusCode.OK, reply.ToString());
        Assert.Equal($"{WxUin}/mp3/{reply.Text("name")}", reply.Text("src"));
    }

    public static TheoryData<string, string?, string> BadFields => new()
    {
        { "type", null, "type" },
        { "type", "video", "type" },
        { "type", "IMAGE", "type" },
        { "wxuin", null, "wxuin" },
        { "wxuin", "", "wxuin" },
        { "wxuin", new string('1', 65), "wxuin" },
        { "wxuin", "12\u00013", "wxuin" },
    };

    [Theory]
    [MemberData(nameof(BadFields))]
    public async Task A_missing_or_bad_field_is_400_naming_it(string field, string? value, string named)
    {
        var body = new MultipartBody();
        if (field != "wxuin" || value is not null)
        {
            body.Field("wxuin", field == "wxuin" ? value! : WxUin);
        }

        if (field != "type" || value is not null)
        {
            body.Field("type", field == "type" ? value! : "image");
        }

        var reply = await Client.UploadAsync(body.File("pics", Uploads.Fixture("sample.jpg"), "a.jpg"), _token);

        Assert.Equal((HttpStatusCode.BadRequest, 1), (reply.Status, reply.Code));
        Assert.Contains(named, reply.Info);
        await App.AssertNothingStoredAsync();
    }

    [Theory]
    [InlineData("application/json", "{\"wxuin\":\"207364874\",\"type\":\"image\",\"pics\":\"/9j/4AAQ\"}")]
    [InlineData("application/x-www-form-urlencoded", "wxuin=207364874&type=image&pics=%FF%D8%FF")]
    [InlineData("text/plain", "just text")]
    [InlineData("multipart/form-data", "--x\r\n\r\n--x--")]
    [InlineData("multipart/mixed; boundary=x", "--x\r\n\r\n--x--")]
    public async Task A_body_that_is_not_multipart_form_data_with_a_boundary_is_400(string contentType, string body)
    {
        var reply = await Client.PostRawAsync("/user/upload", body, contentType, _token);

        Assert.Equal((HttpStatusCode.BadRequest, 1), (reply.Status, reply.Code));
        Assert.Contains("multipart/form-data", reply.Info);
        await App.AssertNothingStoredAsync();
    }

    [Fact]
    public async Task A_body_cut_short_inside_the_file_is_400_and_stores_nothing()
    {
        var body = Uploads.Form(WxUin, "mp3").File("pics", Uploads.Fixture("sample.mp3"), "a.mp3").Unterminated();

        var reply = await Client.UploadAsync(body, _token);

        Assert.Equal((HttpStatusCode.BadRequest, 1), (reply.Status, reply.Code));
        await App.AssertNothingStoredAsync();
    }

    [Fact]
    public async Task Without_a_token_the_upload_is_401_and_stores_nothing()
    {
        var body = Uploads.Form(WxUin, "image").File("pics", Uploads.Fixture("sample.jpg"));

        var reply = await Client.UploadAsync(body, null);

        Assert.Equal((HttpStatusCode.Unauthorized, 3), (reply.Status, reply.Code));
        Assert.Equal(0, App.Requests.Count);
        await App.AssertNothingStoredAsync();
    }

    [Fact]
    public async Task Another_accounts_token_is_403_and_stores_nothing()
    {
        var other = await Client.LogInAsync("100000001");

        var body = Uploads.Form(WxUin, "image").File("pics", Uploads.Fixture("sample.jpg"));

        var reply = await Client.UploadAsync(body, other);

        Assert.Equal((HttpStatusCode.Forbidden, 3), (reply.Status, reply.Code));
        await App.AssertNothingStoredAsync();
    }

    [Theory]
    [InlineData("u/12#3?4")]
    [InlineData("a%2Fb 😀")]
    [InlineData("a.")]
    public async Task A_wxuin_with_key_and_path_characters_round_trips_through_upload_list_download_and_delete(
        string wxuin)
    {
        var token = await Client.LogInAsync(wxuin);
        var jpeg = Uploads.Fixture("sample.jpg");

        var name = await Client.UploadOkAsync(token, wxuin, "image", jpeg);

        var blob = Assert.Single(await App.BlobNamesAsync());
        Assert.StartsWith("~", blob);
        Assert.Equal(3, blob.Split('/').Length);
        var listed = await Client.GetReplyAsync(
            Wire.Query("/user/files/show", ("wxuin", wxuin), ("type", "image")), token);
        var material = Assert.Single(listed.Array)!.AsObject();
        Assert.Equal(wxuin, material["wxuin"]!.GetValue<string>());
        Assert.Equal($"{wxuin}/image/", material["path"]!.GetValue<string>());

        using var request = new HttpRequestMessage(HttpMethod.Get, Uploads.FilePath(wxuin, "image", name));
        request.Headers.Add("token", token);
        using var download = await Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal(jpeg, await download.Content.ReadAsByteArrayAsync());

        var deleted = await Client.PostJsonAsync(
            "/user/files/delete", new { wxuin, _id = material["_id"]!.GetValue<string>() }, token);
        Assert.Equal(HttpStatusCode.OK, deleted.Status);
        await App.AssertNothingStoredAsync();
    }

    /// <summary>
    /// A wxuin of <c>.</c> or <c>..</c> cannot be a URL path segment (clients and Kestrel resolve it away), so such an
    /// account cannot use the download route; its uploads still get a blob folder of their own.
    /// </summary>
    [Theory]
    [InlineData(".")]
    [InlineData("..")]
    public async Task A_dot_segment_wxuin_uploads_into_its_own_digest_folder_and_lists_and_deletes(string wxuin)
    {
        var token = await Client.LogInAsync(wxuin);

        var name = await Client.UploadOkAsync(token, wxuin, "mp3", Uploads.Fixture("sample.mp3"));

        var blob = Assert.Single(await App.BlobNamesAsync());
        Assert.Matches($"^~[A-Za-z0-9_-]{{43}}/mp3/{name}$", blob);
        var listed = await Client.GetReplyAsync(
            Wire.Query("/user/files/show", ("wxuin", wxuin), ("type", "mp3")), token);
        var id = Assert.Single(listed.Array)!["_id"]!.GetValue<string>();
        var deleted = await Client.PostJsonAsync("/user/files/delete", new { wxuin, _id = id }, token);
        Assert.Equal(HttpStatusCode.OK, deleted.Status);
        await App.AssertNothingStoredAsync();
    }
}
