using System.Diagnostics;
using System.Globalization;
using FazAi.Benchmarks;
using FazAi.Functions.Tests.Infrastructure;

// Measures, against one Azurite: for each endpoint, the raw SDK calls that do the same storage work (its baseline),
// then the endpoint through HTTP, at a few concurrency levels. Prints requests per second, p50 and p99 latency and
// the ratio of each endpoint to its baseline. Usage: dotnet run -c Release --project bench/FazAi.Benchmarks [seconds]
var seconds = args.Length > 0 ? double.Parse(args[0], CultureInfo.InvariantCulture) : 3;
int[] levels = [1, 8, 32];

var startClock = Stopwatch.StartNew();
await using var app = await TestApp.StartAsync();
var client = await app.HttpAsync();
await client.GetReplyAsync("/wx/status?_id=000000000000000000000000");
var startup = startClock.Elapsed;

var endpoints = await EndpointScenarios.PrepareAsync(client);
var raw = new RawStorage(app.Storage, EndpointScenarios.WxUin, endpoints.Token);

// Every pair runs once untimed first, so neither side pays for JIT or cold connections.
var pairs = endpoints.Pairs(raw, client).ToList();
foreach (var (baseline, endpoint) in pairs)
{
    await Runner.RunAsync(baseline, 4, TimeSpan.FromSeconds(0.5));
    await Runner.RunAsync(endpoint, 4, TimeSpan.FromSeconds(0.5));
}

var results = new List<Result>();
foreach (var (baseline, endpoint) in pairs)
{
    foreach (var level in levels)
    {
        results.Add(await Runner.RunAsync(baseline, level, TimeSpan.FromSeconds(seconds)));
        results.Add(await Runner.RunAsync(endpoint, level, TimeSpan.FromSeconds(seconds)));
    }
}

Report.Print(results, startup, Environment.ProcessorCount);
