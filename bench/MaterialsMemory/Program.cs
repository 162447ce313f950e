using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using FazAi.Functions;
using FazAi.Functions.Storage;
using FazAi.Functions.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

// One upload of an mp3 of N MiB through HTTP (in-process client, in-test Functions host, the app, Azurite), measured
// in this process: bytes allocated, and the peak resident set during the upload above the resident set before it
// (Linux VmHWM, reset just before the upload). Azurite runs in its own process and is not counted.
// Usage: MaterialsMemory <MiB>. Run once per process (bench/materials-memory.sh), so one run cannot shape another.
// MaterialsMemory control <MiB> holds a buffer of that size where the upload would be: the method's sanity check.
const long MiB = 1024 * 1024;
byte[] frameHeader = [0xFF, 0xF3, 0x40, 0xC4];
var control = args.Length > 0 && args[0] == "control";
var size = long.Parse(args.Length > 0 ? args[^1] : "20", CultureInfo.InvariantCulture) * MiB;

await using var azurite = await Azurite.StartAsync(location: null);
var suffix = Guid.NewGuid().ToString("N")[..12];
var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
{
    ["AzureWebJobsStorage"] = azurite.ConnectionString,
    ["FazAi:LoginsTable"] = "logins" + suffix,
    ["FazAi:GroupsTable"] = "groups" + suffix,
    ["FazAi:MessagesTable"] = "messages" + suffix,
    ["FazAi:MaterialsTable"] = "materials" + suffix,
    ["FazAi:MaterialsContainer"] = "materials-" + suffix,
}).Build();
await using var services = new ServiceCollection()
    .AddLogging()
    .AddSingleton<IConfiguration>(configuration)
    .AddFazAi(configuration)
    .BuildServiceProvider();
await services.GetRequiredService<StorageAccount>().EnsureCreatedAsync(CancellationToken.None);
await using var host = await FunctionsTestHost.StartAsync(services);
var client = host.Client;
var token = await LogInAsync(client, "207364874");

// Warm up both upload paths (one Put Blob; blocks and a commit) so the measured upload runs JIT-compiled code.
await UploadAsync(client, token, 64 * 1024);
await UploadAsync(client, token, 6 * MiB);

// First: the first upload of this size after the warm-up, with its allocations; then the same upload again.
var (firstBefore, firstPeak, allocated) = await MeasureAsync();
var (againBefore, againPeak, _) = await MeasureAsync();

Console.WriteLine(
    $"{(control ? "control" : "upload")} {size / MiB,2} MiB: allocated {allocated / 1024.0,5:N0} KiB; " +
    $"resident before {firstBefore / 1024.0:N1} MiB, peak +{(firstPeak - firstBefore) / 1024.0:N1} MiB; " +
    $"again: before {againBefore / 1024.0:N1} MiB, peak +{(againPeak - againBefore) / 1024.0:N1} MiB; " +
    $"managed heap after {GC.GetGCMemoryInfo().HeapSizeBytes / (double)MiB:N1} MiB");

async Task<(long Before, long Peak, long Allocated)> MeasureAsync()
{
    GC.Collect();
    GC.WaitForPendingFinalizers();
    GC.Collect();
    var before = Status("VmRSS");
    ResetPeak();
    var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
    if (control)
    {
        // What buffering the file would cost: every page of a buffer of its size touched.
        var buffer = GC.AllocateUninitializedArray<byte>((int)size);
        Array.Fill(buffer, (byte)1);
        GC.KeepAlive(buffer);
    }
    else
    {
        await UploadAsync(client, token, size);
    }

    var allocatedDuring = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
    return (before, Status("VmHWM"), allocatedDuring);
}

static async Task<string> LogInAsync(HttpClient client, string wxuin)
{
    var pgvSi = "bench-" + Guid.NewGuid().ToString("N");
    var saved = await client.PostAsJsonAsync(
        "/wx/savesrc", new { src = "https://login.weixin.qq.com/qrcode/x", pgv_si = pgvSi });
    var id = JsonNode.Parse(await saved.Content.ReadAsStringAsync())!["value"]!["_id"]!.GetValue<string>();
    var confirmed = await client.PostAsJsonAsync("/wx/loginsync", new { pgv_si = pgvSi, name = "bench", wxuin });
    confirmed.EnsureSuccessStatusCode();
    return id;
}

async Task UploadAsync(HttpClient http, string token, long length)
{
    var body = new MultipartBody().Field("wxuin", "207364874").Field("type", "mp3")
        .GeneratedFile("pics", frameHeader, length).Chunked();
    using var request = new HttpRequestMessage(HttpMethod.Post, "/user/upload") { Content = body };
    request.Headers.Add("token", token);
    using var response = await http.SendAsync(request);
    var text = await response.Content.ReadAsStringAsync();
    if (!response.IsSuccessStatusCode)
    {
        throw new InvalidOperationException($"Upload of {length} bytes failed: {(int)response.StatusCode} {text}");
    }
}

// Linux: writing 5 to clear_refs resets the peak resident set (VmHWM) to the current one.
static void ResetPeak() => File.WriteAllText("/proc/self/clear_refs", "5");

// A line of /proc/self/status in KiB.
static long Status(string field) => long.Parse(
    File.ReadLines("/proc/self/status").First(line => line.StartsWith(field + ":", StringComparison.Ordinal))
        .Split(' ', StringSplitOptions.RemoveEmptyEntries)[1],
    CultureInfo.InvariantCulture);
