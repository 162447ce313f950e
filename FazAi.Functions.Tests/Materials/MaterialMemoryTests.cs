using System.Net;
using FazAi.Functions.Tests.Infrastructure;
using Xunit.Abstractions;

namespace FazAi.Functions.Tests.Materials;

/// <summary>Runs after and apart from every other test, so the process's allocations are this test's alone.</summary>
[CollectionDefinition(nameof(AloneInProcess), DisableParallelization = true)]
public sealed class AloneInProcess;

/// <summary>
/// An upload streams: a 20 MiB mp3 allocates about as much as a 1 MiB one, not 19 MiB more. Counts every byte the
/// process allocates (client, in-test host, app, storage SDK) during one upload through HTTP to Azurite.
/// <c>docs/materials-memory.md</c> has the numbers and the peak working set measured by <c>bench/</c>.
/// </summary>
[Collection(nameof(AloneInProcess))]
public sealed class MaterialMemoryTests(ITestOutputHelper output)
{
    private const string WxUin = "207364874";
    private const long MiB = 1024 * 1024;

    [Fact]
    public async Task Uploading_20_MiB_allocates_less_than_2_MiB_more_than_uploading_1_MiB()
    {
        await using var app = await TestApp.StartAsync();
        var client = await app.HttpAsync();
        var token = await client.LogInAsync(WxUin);
        await AllocatedByUploadAsync(client, token, 1 * MiB);
        await AllocatedByUploadAsync(client, token, 20 * MiB);

        var small = await AllocatedByUploadAsync(client, token, 1 * MiB);
        var large = await AllocatedByUploadAsync(client, token, 20 * MiB);

        output.WriteLine($"allocated: 1 MiB upload {small:N0} bytes, 20 MiB upload {large:N0} bytes");
        Assert.True(large - small < 2 * MiB, $"1 MiB: {small:N0} bytes allocated, 20 MiB: {large:N0} bytes");
    }

    private static async Task<long> AllocatedByUploadAsync(HttpClient client, string token, long size)
    {
        var body = Uploads.Form(WxUin, "mp3").GeneratedFile("pics", Uploads.Mp3FrameHeader, size).Chunked();
        var before = GC.GetTotalAllocatedBytes(precise: true);

        var reply = await client.UploadAsync(body, token);

        var allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
        Assert.True(reply.Status == HttpStatusCode.OK, reply.ToString());
        return allocated;
    }
}
