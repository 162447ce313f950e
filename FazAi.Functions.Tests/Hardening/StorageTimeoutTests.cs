using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using FazAi.Functions.Tests.Infrastructure;

namespace FazAi.Functions.Tests.Hardening;

/// <summary>A storage endpoint that accepts connections and never answers must not hang a call.</summary>
[Trait("Category", "Faults")]
public sealed class StorageTimeoutTests
{
    [Fact]
    public async Task A_storage_endpoint_that_never_answers_gives_503_after_the_bounded_retries()
    {
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var held = new List<TcpClient>();
        var accepting = Task.Run(async () =>
        {
            while (true)
            {
                held.Add(await silent.AcceptTcpClientAsync());
            }
        });
        var port = ((IPEndPoint)silent.LocalEndpoint).Port;
        await using var app = await TestApp.StartAsync(
            new Dictionary<string, string?>
            {
                ["AzureWebJobsStorage"] = Azurite.ConnectionStringFor(port, port),
                ["FazAi:StorageTimeout"] = "00:00:00.300",
                ["FazAi:StorageRetries"] = "1",
            },
            createStorage: false);
        var client = await app.HttpAsync();

        var reply = await client.GetReplyAsync("/wx/status?_id=587c8307611ff013701310ee");

        Assert.Equal((HttpStatusCode.ServiceUnavailable, 5), (reply.Status, reply.Code));
        Assert.Equal(2, app.Requests.Count);
        silent.Stop();
        held.ForEach(c => c.Dispose());
        _ = accepting.Exception;
    }

    [Fact]
    public void Default_timeouts_and_retries_end_well_inside_the_function_timeout()
    {
        var options = new FazAiOptions();
        using var host = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "host.json")));
        var functionTimeout = TimeSpan.Parse(host.RootElement.GetProperty("functionTimeout").GetString()!);

        // Each try may take the network timeout; between tries the retry delay is at most 2 s.
        var worstCasePerRequest =
            options.StorageTimeout * (options.StorageRetries + 1) + TimeSpan.FromSeconds(2) * options.StorageRetries;

        Assert.True(
            worstCasePerRequest * 2 < functionTimeout,
            $"{worstCasePerRequest} per request against {functionTimeout}");
    }
}
