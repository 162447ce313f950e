using System.Net;
using FazAi.Functions.Tests.Infrastructure;

namespace FazAi.Functions.Tests.Hardening;

/// <summary>
/// Storage stopped under a running app: calls answer 503 with the envelope while it is down, nothing is half
/// written, and everything works again, with the data from before, once it is back.
/// </summary>
[Trait("Category", "Faults")]
public sealed class StorageOutageTests : IAsyncLifetime
{
    private readonly string _location =
        Path.Combine(Path.GetTempPath(), "fazai-outage-" + Guid.NewGuid().ToString("N"));
    private Azurite _azurite = null!;
    private TestApp _app = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_location);
        _azurite = await Azurite.StartAsync(_location);
        _app = await TestApp.StartAsync(azurite: _azurite);
        _client = await _app.HttpAsync();
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        await _azurite.DisposeAsync();
        Directory.Delete(_location, recursive: true);
    }

    [Fact]
    public async Task Calls_fail_with_503_while_storage_is_down_and_work_again_after_with_nothing_lost()
    {
        var token = await _client.LogInAsync("207364874");
        var code = (await _client.SaveCodeAsync("before")).Text("_id");

        await _azurite.StopGracefullyAsync();
        var whileDown = new[]
        {
            await _client.GetReplyAsync($"/wx/status?_id={code}"),
            await _client.PostJsonAsync("/wx/savesrc", new { src = "https://q.example/down", pgv_si = "down" }),
            await _client.GetReplyAsync("/wx/login"),
            await _client.GetReplyAsync("/user/groups?wxuin=207364874", token),
        };
        await using var restarted = await Azurite.StartAsync(_location, _azurite.BlobPort, _azurite.TablePort);

        Assert.All(whileDown, reply =>
        {
            Assert.Equal((HttpStatusCode.ServiceUnavailable, 5), (reply.Status, reply.Code));
            Assert.Null(reply.Value);
        });
        Assert.Equal("wait", (await _client.GetReplyAsync($"/wx/status?_id={code}")).Text("status"));
        Assert.Equal(HttpStatusCode.OK, (await _client.GetReplyAsync("/user/groups?wxuin=207364874", token)).Status);
        Assert.Equal(code, (await _client.GetReplyAsync("/wx/login")).Text("_id"));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await _client.GetReplyAsync("/wx/login")).Status);
    }
}
