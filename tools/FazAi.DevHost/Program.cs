using System.Globalization;
using System.Runtime.InteropServices;
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
    Console.WriteLine(
        $"FazAi API on {host.Client.BaseAddress} (Azurite tables on port {azurite.TablePort}); Ctrl+C or kill stops.");
    var stop = new TaskCompletionSource();

    // Both signals end the run through the disposals below, so Azurite stops with the host.
    using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
    using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
    await stop.Task;

    void Stop(PosixSignalContext context)
    {
        context.Cancel = true;
        stop.TrySetResult();
    }
}
