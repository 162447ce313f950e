using System.Net;
using FazAi.Functions.Tests.Infrastructure;

namespace FazAi.Functions.Tests.Materials;

/// <summary>
/// Size limits: a body or file over its limit is a 413 envelope and leaves no blob and no row. The 101 MiB bodies are
/// made as they are sent; the chunked ones go through <see cref="RawHttp"/>, since the host closes the connection
/// under a body it will not read to the end.
/// </summary>
public sealed class MaterialLimitTests
{
    private const string WxUin = "207364874";

    /// <summary>101 MiB: over the Functions host's request limit of 100 MiB (104,857,600 bytes).</summary>
    private const long OverHostLimit = FunctionsTestHost.HostBodyLimit + 1024 * 1024;

    [Fact]
    public async Task A_file_exactly_at_the_limit_is_stored_and_one_byte_more_is_413_leaving_nothing()
    {
        var jpeg = Uploads.Fixture("sample.jpg");
        await using var app = await TestApp.StartAsync(Limits(image: jpeg.Length));
        var client = await app.HttpAsync();
        var token = await client.LogInAsync(WxUin);

        var over = await client.UploadAsync(Uploads.Form(WxUin, "image").File("pics", [.. jpeg, 0]), token);

        Assert.Equal((HttpStatusCode.RequestEntityTooLarge, 8), (over.Status, over.Code));
        Assert.Contains($"{jpeg.Length}-byte limit", over.Info);
        await app.AssertNothingStoredAsync();
        await client.UploadOkAsync(token, WxUin, "image", jpeg);
    }

    [Fact]
    public async Task A_file_over_the_limit_after_several_blocks_is_413_and_commits_no_blob()
    {
        const long limit = 9L * 1024 * 1024;
        await using var app = await TestApp.StartAsync(Limits(mp3: limit));
        var client = await app.HttpAsync();
        var token = await client.LogInAsync(WxUin);
        var body = Uploads.Form(WxUin, "mp3").GeneratedFile("pics", Uploads.Mp3FrameHeader, limit + 1).Chunked();

        var reply = await client.UploadAsync(body, token);

        Assert.Equal((HttpStatusCode.RequestEntityTooLarge, 8), (reply.Status, reply.Code));
        Assert.Contains("blob PUT", string.Join("\n", app.Requests.Log));
        await app.AssertNothingStoredAsync();
    }

    /// <summary>
    /// The answer comes before the body is read, so the client waits for <c>100 Continue</c> as large uploads should;
    /// one that sends regardless may see the connection closed under it, since nobody reads the 101 MiB.
    /// </summary>
    [Fact]
    public async Task A_declared_body_over_the_limit_is_413_before_anything_is_read_or_stored()
    {
        await using var app = await TestApp.StartAsync();
        var client = await app.HttpAsync();
        var token = await client.LogInAsync(WxUin);
        app.Requests.Reset();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/user/upload")
        {
            Content = Uploads.Form(WxUin, "mp3").GeneratedFile("pics", Uploads.Mp3FrameHeader, OverHostLimit),
        };
        request.Headers.ExpectContinue = true;

        var reply = await Wire.SendAsync(client, request, token);

        Assert.Equal((HttpStatusCode.RequestEntityTooLarge, 8), (reply.Status, reply.Code));
        Assert.Equal(0, app.Requests.Count);
        await app.AssertNothingStoredAsync();
    }

    [Fact]
    public async Task A_chunked_101_MiB_body_is_413_when_the_file_passes_its_limit_and_leaves_nothing()
    {
        await using var app = await TestApp.StartAsync();
        var client = await app.HttpAsync();
        var token = await client.LogInAsync(WxUin);
        var body = Uploads.Form(WxUin, "mp3").GeneratedFile("pics", Uploads.Mp3FrameHeader, OverHostLimit);

        var reply = await RawHttp.PostChunkedAsync(client.BaseAddress!, "/user/upload", body, token);

        Assert.Equal((HttpStatusCode.RequestEntityTooLarge, 8), (reply.Status, reply.Code));
        Assert.Contains("20971520-byte limit", reply.Info);
        await app.AssertNothingStoredAsync();
    }

    [Fact]
    public async Task A_chunked_101_MiB_body_under_a_raised_file_limit_is_413_at_the_host_limit_and_leaves_nothing()
    {
        await using var app = await TestApp.StartAsync(Limits(mp3: 200L * 1024 * 1024));
        var client = await app.HttpAsync();
        var token = await client.LogInAsync(WxUin);
        var body = Uploads.Form(WxUin, "mp3").GeneratedFile("pics", Uploads.Mp3FrameHeader, OverHostLimit);

        var reply = await RawHttp.PostChunkedAsync(client.BaseAddress!, "/user/upload", body, token);

        Assert.Equal((HttpStatusCode.RequestEntityTooLarge, 8), (reply.Status, reply.Code));
        Assert.Contains("host", reply.Info);
        await app.AssertNothingStoredAsync();
    }

    private static Dictionary<string, string?> Limits(long? image = null, long? mp3 = null) => new()
    {
        ["FazAi:MaxImageBytes"] = (image ?? 10L * 1024 * 1024).ToString(),
        ["FazAi:MaxMp3Bytes"] = (mp3 ?? 20L * 1024 * 1024).ToString(),
    };
}
