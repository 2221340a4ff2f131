using System.Diagnostics;

namespace RnnLab.Bench;

/// <summary>
/// Wall-clock and process CPU time of a repeated action. The reference machine is shared, so wall-clock time
/// swings with other people's load while CPU time does not; the fanova bench reports both and compares CPU time.
/// CPU time on Linux ticks at 10 ms, hence the repetitions.
/// </summary>
internal static class FanovaBenchClock
{
    public readonly record struct Measurement(double WallSeconds, double CpuSeconds);

    /// <summary>Per-run times over <paramref name="repetitions"/> runs: median wall-clock and mean CPU.</summary>
    public static Measurement Measure(Action action, int repetitions)
    {
        var walls = new List<double>();
        var process = Process.GetCurrentProcess();
        process.Refresh();
        var cpuBefore = process.TotalProcessorTime;
        for (var i = 0; i < repetitions; i++)
        {
            var watch = Stopwatch.StartNew();
            action();
            walls.Add(watch.Elapsed.TotalSeconds);
        }

        process.Refresh();
        var cpu = (process.TotalProcessorTime - cpuBefore).TotalSeconds / repetitions;
        walls.Sort();
        return new Measurement(walls[walls.Count / 2], cpu);
    }
}
