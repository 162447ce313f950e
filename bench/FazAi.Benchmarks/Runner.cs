using System.Diagnostics;
using System.Globalization;

namespace FazAi.Benchmarks;

/// <summary>
/// One measured operation; <see cref="Baseline"/> names the raw storage scenario it is compared with.
/// </summary>
public sealed record Scenario(string Name, string? Baseline, Func<int, Task> Operation);

public sealed record Result(
    string Name, string? Baseline, int Concurrency, int Count, double Seconds, double P50Ms, double P99Ms)
{
    public double PerSecond => Count / Seconds;
}

public static class Runner
{
    /// <summary>
    /// Runs the operation from <paramref name="concurrency"/> loops for a fixed time and records every latency.
    /// </summary>
    public static async Task<Result> RunAsync(Scenario scenario, int concurrency, TimeSpan duration)
    {
        var latencies = new List<double>[concurrency];
        var counter = 0;
        var clock = Stopwatch.StartNew();
        var loops = Enumerable.Range(0, concurrency).Select(async worker =>
        {
            var mine = latencies[worker] = [];
            while (clock.Elapsed < duration)
            {
                var start = Stopwatch.GetTimestamp();
                await scenario.Operation(Interlocked.Increment(ref counter));
                mine.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            }
        });
        await Task.WhenAll(loops);
        var elapsed = clock.Elapsed.TotalSeconds;
        var all = latencies.SelectMany(l => l).Order().ToArray();
        return new Result(
            scenario.Name,
            scenario.Baseline,
            concurrency,
            all.Length,
            elapsed,
            Percentile(all, 0.50),
            Percentile(all, 0.99));
    }

    private static double Percentile(double[] sorted, double p) =>
        sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];
}

public static class Report
{
    public static void Print(IReadOnlyList<Result> results, TimeSpan startup, int cores)
    {
        var process = Process.GetCurrentProcess();
        Console.WriteLine(
            $"# FazAi benchmark, {DateTime.UtcNow:yyyy-MM-dd}, {cores} cores, .NET {Environment.Version}");
        Console.WriteLine();
        Console.WriteLine(
            "| scenario | concurrency | req/s | p50 ms | p99 ms | baseline " +
            "| p50 ratio endpoint/baseline | req/s ratio |");
        Console.WriteLine("|---|---:|---:|---:|---:|---|---:|---:|");
        foreach (var r in results)
        {
            var baseline = r.Baseline is null
                ? null
                : results.First(b => b.Name == r.Baseline && b.Concurrency == r.Concurrency);
            var p50Ratio = baseline is null
                ? ""
                : (r.P50Ms / baseline.P50Ms).ToString("0.00", CultureInfo.InvariantCulture);
            var rateRatio = baseline is null
                ? ""
                : (r.PerSecond / baseline.PerSecond).ToString("0.00", CultureInfo.InvariantCulture);
            var timing = string.Create(
                CultureInfo.InvariantCulture, $"{r.PerSecond:0} | {r.P50Ms:0.00} | {r.P99Ms:0.00}");
            Console.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"| {r.Name} | {r.Concurrency} | {timing} | {r.Baseline} | {p50Ratio} | {rateRatio} |"));
        }

        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"start-up (service provider + host + first request): {startup.TotalMilliseconds:0} ms"));
        var workingSetMiB = process.WorkingSet64 / 1048576.0;
        var peakMiB = process.PeakWorkingSet64 / 1048576.0;
        var managedHeapMiB = GC.GetTotalMemory(false) / 1048576.0;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"memory after the run: working set {workingSetMiB:0} MiB, peak {peakMiB:0} MiB, " +
            $"managed heap {managedHeapMiB:0} MiB"));
    }
}
