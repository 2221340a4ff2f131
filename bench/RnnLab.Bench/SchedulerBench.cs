using System.Globalization;

namespace RnnLab.Bench;

/// <summary>
/// `scheduler`: the ceiling of the scheduler, by simulation of zero-length trials: (a) the lease book on its own,
/// (b) the scheduler grain in a silo, each at --workers workers × --slots slots over --sweeps concurrent sweeps;
/// with --curve, (b) again from 10 workers up; with --shards N, (b) on N scheduler activations, each serving its
/// share of the sweeps and workers. Options: --workers 1000, --slots 8, --sweeps 100, --seconds 5, --shards 1, --curve.
/// Last line: `scheduler: &lt;grants/s&gt; grants/s at &lt;workers&gt; workers, lease p99 &lt;ms&gt; ms` (the grain in a silo).
/// </summary>
internal static class SchedulerBench
{
    public static int Run(string[] args) => RunAsync(args).GetAwaiter().GetResult();

    private static async Task<int> RunAsync(string[] args)
    {
        var workers = Option(args, "--workers", 1000);
        var slots = Option(args, "--slots", 8);
        var sweeps = Option(args, "--sweeps", 100);
        var duration = TimeSpan.FromSeconds(Option(args, "--seconds", 5));
        var shards = Option(args, "--shards", 1);
        Console.WriteLine($"scheduler bench: {workers} workers x {slots} slots, {sweeps} concurrent sweeps of zero-length trials, {duration.TotalSeconds:F0} s per run, {shards} scheduler shard(s), {Environment.ProcessorCount} cores");

        SchedulerBookSimulation.Run(workers, slots, sweeps, TimeSpan.FromSeconds(1));
        var book = SchedulerBookSimulation.Run(workers, slots, sweeps, duration);
        Console.WriteLine($"lease book alone, {book}");

        await using var silo = await SchedulerSilo.StartAsync();
        // Warms the silo's call paths up (tiered JIT) before anything is measured.
        await silo.RunAsync(Math.Min(100, workers), slots, sweeps, shards, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2));
        if (args.Contains("--curve"))
        {
            foreach (var n in new[] { 10, 30, 100, 300 }.Where(n => n < workers))
            {
                var point = await silo.RunAsync(n, slots, sweeps, shards, TimeSpan.FromSeconds(1), duration);
                Console.WriteLine($"grain in a silo, {point}");
            }
        }

        var grain = await silo.RunAsync(workers, slots, sweeps, shards, TimeSpan.FromSeconds(2), duration);
        Console.WriteLine($"grain in a silo, {grain}");
        var stats = await silo.StatsAsync();
        Console.WriteLine($"scheduler after the runs: {stats.Workers} workers remembered, {stats.Leased} leased, {stats.Queued} queued");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"scheduler: {grain.GrantsPerSecond:F0} grants/s at {workers} workers, lease p99 {grain.LeaseP99Ms:F1} ms"));
        return 0;
    }

    private static int Option(string[] args, string name, int fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
    }
}
