using System.Diagnostics;
using System.Globalization;
using Grpc.Core;
using Grpc.Net.Client;
using RnnLab.Contracts.V1;
using RnnLab.Server.Hosting;

namespace RnnLab.Bench;

/// <summary>
/// `api`: the public API under load, in one process over loopback gRPC. (1) WatchSweep latency from an epoch's
/// end (the event's time, stamped when the trial grain takes the report) to the client, over a sweep of
/// --watch-trials concurrent quadratic trials (0 skips it); (2) on a finished sweep of --trials trials: every ListTrials
/// page of 100 by objective, following the page tokens to the last page, over the whole sweep and then over its
/// lstm trials (each page timed on its own), GetSweep, and AnalyzeSweep
/// (each call with another leaderboard size, so no call is answered from the analysis cache), then every page.
/// Options: --watch-trials 1000, --trials 5400, --slots 64, --postgres CONN. Last line:
/// `api: ListTrials page p50 MS, GetSweep p50 MS, AnalyzeSweep p50 MS at N trials`.
/// </summary>
public static class ApiBench
{
    public static int Run(string[] args) => RunAsync(args).GetAwaiter().GetResult();

    private static async Task<int> RunAsync(string[] args)
    {
        var watchTrials = Option(args, "--watch-trials", 1000);
        var trials = Option(args, "--trials", 5400);
        var slots = Option(args, "--slots", 64);
        var postgres = args.SkipWhile(a => a != "--postgres").Skip(1).FirstOrDefault();
        var directory = Directory.CreateTempSubdirectory("rnnlab-api-bench");
        var settings = new Dictionary<string, string?>
        {
            ["Storage:Provider"] = postgres is null ? "Sqlite" : "Postgres",
            ["Storage:ConnectionString"] = postgres ?? $"Data Source={Path.Combine(directory.FullName, "api.db")}",
            ["Slots"] = slots.ToString(CultureInfo.InvariantCulture),
            ["BenchmarkTasks"] = "true",
            ["Logging:LogLevel:Default"] = "Warning",
        };
        await using var server = await LocalServer.StartAsync(settings);
        using var channel = GrpcChannel.ForAddress(server.Address);
        var client = new SweepService.SweepServiceClient(channel);
        Console.WriteLine($"api bench: {(postgres is null ? "SQLite" : "PostgreSQL")}, {slots} slots, {Environment.ProcessorCount} cores");

        if (watchTrials > 0)
        {
            var latencies = await WatchLatencyAsync(client, watchTrials);
            latencies.Sort();
            Console.WriteLine($"WatchSweep latency over {latencies.Count} epoch events of {watchTrials} concurrent quadratic trials: " +
                              $"p50 {Percentile(latencies, 0.50):F1} ms, p99 {Percentile(latencies, 0.99):F1} ms, max {latencies[^1]:F1} ms");
        }

        var sweepId = await RunSweepAsync(client, Spec("api-bench-big", trials, epochs: 1, delayMs: 0, parallelism: 1024));
        var pages = new List<double>();
        await WalkPagesAsync(client, sweepId, [], pages);
        await WalkPagesAsync(client, sweepId, ["lstm"], pages);
        pages.Sort();
        var gets = await TimesAsync(21, _ => client.GetSweepAsync(new GetSweepRequest { SweepId = sweepId }).ResponseAsync);
        var analyses = await TimesAsync(5, i => client.AnalyzeSweepAsync(new AnalyzeSweepRequest { SweepId = sweepId, Top = 10 + i }).ResponseAsync);
        var list = await TimesAsync(1, _ => ListAllAsync(client, sweepId, trials));
        Console.WriteLine($"ListTrials, all {trials} trials by objective in pages of 1000: {list[0]:F0} ms");
        Console.WriteLine($"ListTrials, {pages.Count} pages of 100 by objective, every page of the sweep and of its lstm trials: " +
                          $"p50 {Percentile(pages, 0.5):F1} ms, p99 {Percentile(pages, 0.99):F1} ms, max {pages[^1]:F1} ms");
        Console.WriteLine($"GetSweep: p50 {Percentile(gets, 0.5):F1} ms, max {gets[^1]:F1} ms; " +
                          $"AnalyzeSweep (uncached): p50 {Percentile(analyses, 0.5):F0} ms, max {analyses[^1]:F0} ms");
        Console.WriteLine($"api: ListTrials page p50 {Percentile(pages, 0.5):F1} ms, GetSweep p50 {Percentile(gets, 0.5):F1} ms, " +
                          $"AnalyzeSweep p50 {Percentile(analyses, 0.5):F0} ms at {trials} trials");
        return 0;
    }

    private static async Task<List<double>> WatchLatencyAsync(SweepService.SweepServiceClient client, int trials)
    {
        var submitted = await client.SubmitSweepAsync(new SubmitSweepRequest { SpecYaml = Spec("api-bench-watch", trials, epochs: 5, delayMs: 200, parallelism: Math.Min(trials, 1024)) });
        var latencies = new List<double>();
        using var call = client.WatchSweep(new WatchSweepRequest { SweepId = submitted.Sweep.Id, SkipSnapshot = true });
        await foreach (var item in call.ResponseStream.ReadAllAsync())
        {
            if (item.Event is { Kind: "epoch" } epoch)
            {
                latencies.Add((DateTime.UtcNow - epoch.Time.ToDateTime()).TotalMilliseconds);
            }
        }

        return latencies;
    }

    private static async Task<string> RunSweepAsync(SweepService.SweepServiceClient client, string spec)
    {
        var submitted = await client.SubmitSweepAsync(new SubmitSweepRequest { SpecYaml = spec });
        var clock = Stopwatch.StartNew();
        using var call = client.WatchSweep(new WatchSweepRequest { SweepId = submitted.Sweep.Id, SkipSnapshot = true });
        await foreach (var _ in call.ResponseStream.ReadAllAsync())
        {
        }

        Console.WriteLine($"ran {submitted.Sweep.Budget} quadratic trials in {clock.Elapsed.TotalSeconds:F1} s");
        return submitted.Sweep.Id;
    }

    private static async Task ListAllAsync(SweepService.SweepServiceClient client, string sweepId, int expected)
    {
        var request = new ListTrialsRequest { SweepId = sweepId, OrderBy = "objective", PageSize = 1000 };
        var count = 0;
        do
        {
            var page = await client.ListTrialsAsync(request);
            count += page.Trials.Count;
            request.PageToken = page.NextPageToken;
        }
        while (request.PageToken.Length > 0);

        if (count != expected)
        {
            throw new InvalidOperationException($"listed {count} trials, expected {expected}");
        }
    }

    /// <summary>Follows the page tokens through every page of 100 by objective, adding each call's time in milliseconds.</summary>
    private static async Task WalkPagesAsync(SweepService.SweepServiceClient client, string sweepId, string[] cells, List<double> times)
    {
        var request = new ListTrialsRequest { SweepId = sweepId, OrderBy = "objective", PageSize = 100, Cells = { cells } };
        do
        {
            var clock = Stopwatch.StartNew();
            var page = await client.ListTrialsAsync(request);
            times.Add(clock.Elapsed.TotalMilliseconds);
            request.PageToken = page.NextPageToken;
        }
        while (request.PageToken.Length > 0);
    }

    /// <summary>Runs the call <paramref name="repeats"/> times; the times in milliseconds, sorted.</summary>
    private static async Task<List<double>> TimesAsync(int repeats, Func<int, Task> action)
    {
        var times = new List<double>();
        for (var i = 0; i < repeats; i++)
        {
            var clock = Stopwatch.StartNew();
            await action(i);
            times.Add(clock.Elapsed.TotalMilliseconds);
        }

        times.Sort();
        return times;
    }

    private static string Spec(string name, int trials, int epochs, int delayMs, int parallelism) => $$"""
        name: {{name}}
        task: { name: quadratic, options: { epochs: {{epochs}}, delay_ms: {{delayMs}} } }
        metric: { name: objective, direction: minimize }
        search:
          sampler: { type: random, seed: 5 }
          space:
            cell: { categorical: [rnn-tanh, lstm, gru] }
            lr: { loguniform: [0.01, 1.0] }
            hidden: { int: [20, 200] }
        budget: { trials: {{trials}}, parallelism: {{parallelism}} }
        seed: 5
        """;

    private static double Percentile(List<double> sorted, double q) => sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(q * sorted.Count) - 1)];

    private static int Option(string[] args, string name, int fallback)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? int.Parse(args[index + 1], CultureInfo.InvariantCulture) : fallback;
    }
}
