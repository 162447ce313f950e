using System.Text.RegularExpressions;
using Azure.Core;
using FazAi.Functions.Storage;
using Microsoft.Extensions.Azure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace FazAi.Functions.Tests.Infrastructure;

/// <summary>
/// The app as the Functions worker composes it, against real Azurite, with its own tables and container,
/// a hand-moved clock and a storage request counter. <see cref="HttpAsync"/> adds the in-test HTTP host.
/// </summary>
public sealed partial class TestApp : IAsyncDisposable
{
    private FunctionsTestHost? _host;

    private TestApp(
        ServiceProvider services, ManualClock clock, StorageRequests requests, StorageFaults faults, string suffix)
    {
        Services = services;
        Clock = clock;
        Requests = requests;
        Faults = faults;
        Suffix = suffix;
    }

    public ServiceProvider Services { get; }

    public ManualClock Clock { get; }

    public StorageRequests Requests { get; }

    /// <summary>Fails chosen storage requests, for tests of what a failure part-way leaves behind.</summary>
    public StorageFaults Faults { get; }

    /// <summary>What makes this app's table and container names its own.</summary>
    public string Suffix { get; }

    public StorageAccount Storage => Services.GetRequiredService<StorageAccount>();

    public T Get<T>() where T : notnull => Services.GetRequiredService<T>();

    /// <summary>A function class as the worker would build it for one invocation.</summary>
    public T Function<T>() => ActivatorUtilities.CreateInstance<T>(Services);

    public static async Task<TestApp> StartAsync(
        IDictionary<string, string?>? settings = null, Azurite? azurite = null, bool createStorage = true,
        bool realClock = false)
    {
        azurite ??= settings?.ContainsKey("AzureWebJobsStorage") == true ? null : await Azurite.SharedAsync();
        var suffix = Guid.NewGuid().ToString("N")[..12];
        var values = new Dictionary<string, string?>
        {
            ["AzureWebJobsStorage"] = azurite?.ConnectionString,
            ["FazAi:LoginsTable"] = "logins" + suffix,
            ["FazAi:GroupsTable"] = "groups" + suffix,
            ["FazAi:MessagesTable"] = "messages" + suffix,
            ["FazAi:MaterialsTable"] = "materials" + suffix,
            ["FazAi:MaterialsContainer"] = "materials-" + suffix,
            ["FazAi:StorageTimeout"] = "00:00:05",
            ["FazAi:StorageRetries"] = "1",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            values[key] = value;
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var clock = new ManualClock(new DateTimeOffset(2026, 12, 4, 8, 0, 0, TimeSpan.Zero));
        var tablePort = TablePortOf(values["AzureWebJobsStorage"]!);
        var requests = new StorageRequests(tablePort);
        var faults = new StorageFaults(tablePort);
        var collection = new ServiceCollection()
            .AddLogging(logging =>
            {
                logging.SetMinimumLevel(LogLevel.Warning);
                if (Environment.GetEnvironmentVariable("FAZAI_TEST_LOG") is not null)
                {
                    logging.AddSimpleConsole();
                }
            })
            .AddSingleton<IConfiguration>(configuration)
            .AddFazAi(configuration, requests)
            .AddSingleton<TimeProvider>(realClock ? TimeProvider.System : clock);
        collection.AddAzureClients(clients => clients.ConfigureDefaults(
            options => options.AddPolicy(faults, HttpPipelinePosition.PerRetry)));
        var services = collection.BuildServiceProvider(
            new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });

        var app = new TestApp(services, clock, requests, faults, suffix);
        if (createStorage)
        {
            await app.Storage.EnsureCreatedAsync(CancellationToken.None);
        }

        requests.Reset();
        return app;
    }

    /// <summary>An HTTP client of the in-test Functions host serving this app on 127.0.0.1.</summary>
    public async Task<HttpClient> HttpAsync()
    {
        _host ??= await FunctionsTestHost.StartAsync(Services);
        return _host.Client;
    }

    public async ValueTask DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }

        await Services.DisposeAsync();
    }

    private static int TablePortOf(string connectionString)
    {
        var match = TableEndpoint().Match(connectionString);
        return match.Success ? int.Parse(match.Groups[1].Value) : 10002;
    }

    [GeneratedRegex(@"TableEndpoint=https?://[^:/;]+:(\d+)")]
    private static partial Regex TableEndpoint();
}
