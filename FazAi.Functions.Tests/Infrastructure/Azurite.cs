using System.Diagnostics;
using System.Text.RegularExpressions;

namespace FazAi.Functions.Tests.Infrastructure;

/// <summary>
/// A real Azurite for the tests: the one named by <c>FAZAI_TEST_STORAGE</c> (a connection string), or else the
/// pinned copy in <c>tools/azurite</c>, installed from its lock file when missing and started on free loopback ports.
/// </summary>
public sealed partial class Azurite : IAsyncDisposable
{
    public const string AccountName = "devstoreaccount1";

    // Azurite's published development key; it opens nothing but a local emulator.
    public const string AccountKey =
        "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private static readonly Lazy<Task<Azurite>> Shared = new(() => StartAsync(location: null));

    private readonly Process? _process;

    private Azurite(string connectionString, Process? process, int blobPort, int tablePort)
    {
        ConnectionString = connectionString;
        _process = process;
        BlobPort = blobPort;
        TablePort = tablePort;
    }

    public string ConnectionString { get; }

    public int BlobPort { get; }

    public int TablePort { get; }

    /// <summary>The instance shared by the whole test run; tests keep apart by table and container names.</summary>
    public static Task<Azurite> SharedAsync() => Shared.Value;

    public static string ConnectionStringFor(int blobPort, int tablePort) =>
        $"DefaultEndpointsProtocol=http;AccountName={AccountName};AccountKey={AccountKey};" +
        $"BlobEndpoint=http://127.0.0.1:{blobPort}/{AccountName};" +
        $"TableEndpoint=http://127.0.0.1:{tablePort}/{AccountName};";

    /// <summary>
    /// Starts a private Azurite. With <paramref name="location"/> it keeps its data on disk there, so that it can be
    /// stopped and started again on the same ports with the data intact.
    /// </summary>
    public static async Task<Azurite> StartAsync(string? location, int blobPort = 0, int tablePort = 0)
    {
        var external = Environment.GetEnvironmentVariable("FAZAI_TEST_STORAGE");
        if (location is null && !string.IsNullOrWhiteSpace(external))
        {
            return new Azurite(external, null, 0, 0);
        }

        var executable = await EnsureInstalledAsync();
        var persistence = location is null ? "--inMemoryPersistence" : $"--location \"{location}\"";
        var start = new ProcessStartInfo(executable)
        {
            Arguments = $"{persistence} --disableTelemetry --skipApiVersionCheck " +
                $"--blobHost 127.0.0.1 --blobPort {blobPort} --queueHost 127.0.0.1 --queuePort 0 " +
                $"--tableHost 127.0.0.1 --tablePort {tablePort}",
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var process = Process.Start(start) ?? throw new InvalidOperationException("Azurite did not start.");
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Kill(process);

        int? blob = null, table = null;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (blob is null || table is null)
        {
            var line = await process.StandardOutput.ReadLineAsync(timeout.Token)
                ?? throw new InvalidOperationException(
                    "Azurite exited before listening: " + await process.StandardError.ReadToEndAsync());
            var match = Listening().Match(line);
            if (match.Success)
            {
                var port = int.Parse(match.Groups["port"].Value);
                if (match.Groups["service"].Value == "Blob")
                {
                    blob = port;
                }
                else if (match.Groups["service"].Value == "Table")
                {
                    table = port;
                }
            }
        }

        // Keep draining its output so it never blocks on a full pipe.
        _ = process.StandardOutput.BaseStream.CopyToAsync(Stream.Null);
        _ = process.StandardError.BaseStream.CopyToAsync(Stream.Null);
        return new Azurite(ConnectionStringFor(blob.Value, table.Value), process, blob.Value, table.Value);
    }

    /// <summary>Stops this Azurite the way Ctrl+C would, so an instance with a location saves its data first.</summary>
    public async Task StopGracefullyAsync()
    {
        if (_process is null || _process.HasExited)
        {
            return;
        }

        using (var signal = Process.Start("kill", ["-INT", _process.Id.ToString()]))
        {
            await signal.WaitForExitAsync();
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await _process.WaitForExitAsync(timeout.Token);
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is not null)
        {
            Kill(_process);
            await _process.WaitForExitAsync();
            _process.Dispose();
        }
    }

    private static void Kill(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }

    private static readonly SemaphoreSlim InstallLock = new(1, 1);

    private static async Task<string> EnsureInstalledAsync()
    {
        var folder = Path.Combine(RepositoryRoot(), "tools", "azurite");
        var executable = Path.Combine(folder, "node_modules", ".bin", "azurite");
        await InstallLock.WaitAsync();
        try
        {
            if (File.Exists(executable))
            {
                return executable;
            }

            var npm = Process.Start(new ProcessStartInfo("npm", "ci --no-audit --no-fund --loglevel=error")
            {
                WorkingDirectory = folder,
                UseShellExecute = false,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            }) ?? throw new InvalidOperationException("npm did not start; Node.js and npm are needed for Azurite.");
            var errors = npm.StandardError.ReadToEndAsync();
            await npm.StandardOutput.ReadToEndAsync();
            await npm.WaitForExitAsync();
            return npm.ExitCode == 0 && File.Exists(executable)
                ? executable
                : throw new InvalidOperationException($"npm ci in {folder} failed: {await errors}");
        }
        finally
        {
            InstallLock.Release();
        }
    }

    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "FazAi.Functions.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Cannot find the repository root (FazAi.Functions.sln) above the tests.");
    }

    [GeneratedRegex(
        @"Azurite (?<service>Blob|Queue|Table) service is successfully listening at " +
        @"http://127\.0\.0\.1:(?<port>\d+)")]
    private static partial Regex Listening();
}
