using System.Diagnostics;
using System.Globalization;
using RnnLab.Grains;

namespace RnnLab.Bench;

/// <summary>
/// `orchestration`: trials per second of quadratic trials (zero delay, submitted → completed and persisted in
/// PostgreSQL) on 1 and 2 worker silos against Optuna with RDB storage on the same server; slot idle time on a
/// small JSB Chorales sweep; metric ingestion against a plain COPY. The sweep's parallelism (256) lets the
/// platform keep as many trials in flight as it can use; Optuna runs its trials one after another, as its
/// storage-backed optimize loop does in one process.
/// Options: --trials N (default 10,000), --optuna-trials N (default 300), --slots N per worker silo (default: cores),
/// --skip-jsb.
/// </summary>
internal static class OrchestrationBench
{
    public static int Run(string[] args) => RunAsync(args).GetAwaiter().GetResult();

    private static async Task<int> RunAsync(string[] args)
    {
        var trials = IntOption(args, "--trials", 10_000);
        var optunaTrials = IntOption(args, "--optuna-trials", 300);
        var slots = IntOption(args, "--slots", Math.Max(1, Environment.ProcessorCount));
        var admin = OrchestrationPostgres.AdminConnection();
        Console.WriteLine($"orchestration: PostgreSQL {new Npgsql.NpgsqlConnectionStringBuilder(admin).Host}, {slots} slots per worker silo, {trials} quadratic trials (1 epoch, no delay)");

        var perSilos = new Dictionary<int, double>();
        foreach (var silos in new[] { 1, 2 })
        {
            var rate = await WithDatabaseAsync(admin, "rnnlab_bench", async cs =>
            {
                await using var cluster = await OrchestrationCluster.StartAsync(cs, silos, slots);
                await RunSweepAsync(cluster.Client, "warm-up", 100);
                var clock = Stopwatch.StartNew();
                await RunSweepAsync(cluster.Client, "overhead", trials);
                return trials / clock.Elapsed.TotalSeconds;
            });
            perSilos[silos] = rate;
            Console.WriteLine($"orchestration: {silos} worker silo{(silos > 1 ? "s" : "")}: {rate:F1} trials/s");
        }

        var optuna = await WithDatabaseAsync(admin, "rnnlab_optuna", cs => Task.FromResult(OrchestrationOptuna.Run(cs, optunaTrials)));
        Console.WriteLine($"optuna {optuna.Version} (RDB storage on the same PostgreSQL, random sampler): {optuna.TrialsPerSecond:F1} trials/s ({optuna.Trials} trials)");

        if (!args.Contains("--skip-jsb"))
        {
            var idle = await WithDatabaseAsync(admin, "rnnlab_slots", cs => SlotIdleAsync(cs, slots));
            Console.WriteLine($"slot idle between trials (jsb-chorales, {idle.Trials} trials on {slots} slots): {idle.Fraction * 100:F3} % of trial time ({idle.Gaps.TotalMilliseconds:F1} ms idle / {idle.Busy.TotalSeconds:F1} s busy)");
        }

        var ingestion = await WithDatabaseAsync(admin, "rnnlab_ingest", cs => OrchestrationIngestion.RunAsync(cs));
        Console.WriteLine($"metric ingestion: {ingestion.StorePointsPerSecond:F0} points/s through the store vs {ingestion.CopyPointsPerSecond:F0} points/s plain COPY ({ingestion.Ratio * 100:F0} % of COPY, {ingestion.Points} points)");

        var best = perSilos.Values.Max();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"orchestration: {best:F1} trials/s, {best / optuna.TrialsPerSecond:F1}x optuna"));
        return 0;
    }

    private static async Task RunSweepAsync(SweepClient client, string name, int trials)
    {
        var spec = $$"""
            name: {{name}}
            task: { name: quadratic, options: { delay_ms: 0 } }
            metric: { name: objective, direction: minimize }
            search:
              sampler: { type: random }
              space:
                lr: { uniform: [0.01, 1.0] }
                momentum: { uniform: [0, 0.99] }
            budget: { trials: {{trials}}, parallelism: 256, max_epochs: 1 }
            seed: 1
            """;
        var submitted = await client.SubmitAsync(spec);
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(10));
        await foreach (var e in client.WatchAsync(submitted.SweepId, 0, timeout.Token))
        {
            if (e.Kind == SweepEventKinds.SweepFinished)
            {
                return;
            }
        }

        throw new TimeoutException($"sweep {name} did not finish");
    }

    private sealed record SlotIdle(long Trials, double Fraction, TimeSpan Gaps, TimeSpan Busy);

    private static async Task<SlotIdle> SlotIdleAsync(string connectionString, int slots)
    {
        var data = Environment.GetEnvironmentVariable("RNNLAB_DATA_DIR")
            ?? Path.GetFullPath(Path.Combine(OrchestrationPostgres.RepositoryRoot(), "..", "shared", "data"));
        await using var cluster = await OrchestrationCluster.StartAsync(connectionString, 1, slots, data);
        var trials = slots * 3;
        var spec = $$"""
            name: jsb-slots
            task: { name: jsb-chorales }
            metric: { name: valid.nll, direction: minimize }
            fixed: { layers: 1, optimizer: adam, batch: 16, hidden: 8 }
            search:
              sampler: { type: random }
              space:
                cell: { categorical: [lstm, gru] }
                lr: { loguniform: [1.0e-3, 1.0e-2] }
            budget: { trials: {{trials}}, parallelism: {{slots * 2}}, max_epochs: 1 }
            seed: 5
            """;
        var usage = cluster.Usage.Single();
        usage.Reset();
        var submitted = await cluster.Client.SubmitAsync(spec);
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(15));
        await foreach (var e in cluster.Client.WatchAsync(submitted.SweepId, 0, timeout.Token))
        {
            if (e.Kind == SweepEventKinds.SweepFinished)
            {
                break;
            }
        }

        return new SlotIdle(usage.Trials, usage.IdleFraction, usage.Gaps, usage.Busy);
    }

    private static async Task<T> WithDatabaseAsync<T>(string admin, string prefix, Func<string, Task<T>> run)
    {
        var cs = await OrchestrationPostgres.CreateDatabaseAsync(admin, prefix);
        try
        {
            return await run(cs);
        }
        finally
        {
            await OrchestrationPostgres.DropDatabaseAsync(admin, cs);
        }
    }

    private static int IntOption(string[] args, string name, int fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length && int.TryParse(args[i + 1], CultureInfo.InvariantCulture, out var value) ? value : fallback;
    }
}
