using System.Globalization;

namespace RnnLab.Bench;

/// <summary>One simulated load on the scheduler: grants per second and the latency of lease calls.</summary>
internal sealed record SchedulerRun(int Workers, double GrantsPerSecond, double LeaseP50Ms, double LeaseP99Ms)
{
    /// <summary>The run from lease-call latencies in milliseconds (sorted here).</summary>
    public static SchedulerRun From(int workers, long grants, TimeSpan elapsed, List<double> latenciesMs)
    {
        latenciesMs.Sort();
        return new SchedulerRun(workers, grants / elapsed.TotalSeconds, Percentile(latenciesMs, 0.50), Percentile(latenciesMs, 0.99));
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{Workers} workers: {GrantsPerSecond:F0} grants/s, lease p50 {LeaseP50Ms:F3} ms, p99 {LeaseP99Ms:F3} ms");

    private static double Percentile(List<double> sorted, double q) =>
        sorted.Count == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(q * sorted.Count) - 1, 0, sorted.Count - 1)];
}
