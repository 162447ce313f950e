using System.Globalization;
using FazAi.Functions.Tests.Infrastructure;

// Serves the app over HTTP on 127.0.0.1 through the tests' Functions host, against a pinned Azurite it starts
// itself, with the real clock. For trying the API where Azure Functions Core Tools cannot be installed; the real
// local run is `func start` (see README). Usage: dotnet run --project tools/FazAi.DevHost [port]
var port = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 7071;

await using var azurite = await Azurite.StartAsync(location: null);
await using var app = await TestApp.StartAsync(azurite: azurite, realClock: true);
var host = await FunctionsTestHost.StartAsync(app.Services, port);
await using (host)
{
    Console.WriteLine($"FazAi API on {host.Client.BaseAddress} (Azurite tables on port {azurite.TablePort}); Ctrl+C stops.");
    var stop = new TaskCompletionSource();
    Console.CancelKeyPress += (_, e) =>
    {
        e.Cancel = true;
        stop.TrySetResult();
    };
    await stop.Task;
}
