namespace RnnLab.Grains.Execution;

/// <summary>
/// Epoch figures a worker reports for telemetry only: they travel in <see cref="AttemptEpoch.Metrics"/> so the
/// server can record them, but are not stored as metric points, where they would crowd a trial's curves.
/// </summary>
public static class RuntimeMetrics
{
    /// <summary>Loss units trained per second in the epoch; the server's epoch timing filter reads this name.</summary>
    public const string SamplesPerSecond = "samples_per_second";

    public static bool Contains(string name) => name == SamplesPerSecond;
}
