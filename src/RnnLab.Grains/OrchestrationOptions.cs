using RnnLab.Storage;

namespace RnnLab.Grains;

/// <summary>How a silo takes part in running sweeps.</summary>
public sealed class OrchestrationOptions
{
    public SiloRole Role { get; set; } = SiloRole.All;

    public StorageOptions Storage { get; set; } = new();

    /// <summary>Trials run at once on a worker silo; default cores ÷ <see cref="ThreadsPerTrial"/>.</summary>
    public int? Slots { get; set; }

    public int ThreadsPerTrial { get; set; } = 1;

    /// <summary>How long a running trial stays leased without a heartbeat from its worker.</summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>A checkpoint is saved after every this many epochs.</summary>
    public int CheckpointEvery { get; set; } = 5;

    /// <summary>
    /// Attempts a trial may lose to its worker (silo died, lease expired) beyond its sweep's retries before it is
    /// marked failed; bounds a trial whose runs keep taking silos down.
    /// </summary>
    public int MaxLostAttempts { get; set; } = 5;

    /// <summary>First retry delay of a failed trial; doubles per failure.</summary>
    public TimeSpan RetryBackoff { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Where training tasks look for datasets; null → RNNLAB_DATA_DIR, then the download cache.</summary>
    public string? DataDirectory { get; set; }

    /// <summary>Which files trials may read (the "Data" section: Roots, MaxBytes, AllowLocalPaths, CacheDirectory).</summary>
    public RnnLab.Tasks.Data.DataOptions Data { get; set; } = new();

    /// <summary>
    /// Whether workers also run the benchmark tasks (`quadratic`: an analytic objective, no training). Off in
    /// production silos, where a spec naming one is refused as an unknown task; benchmarks and tests turn it on.
    /// </summary>
    public bool BenchmarkTasks { get; set; }

    /// <summary>Whether to use localhost clustering (the embedded all-in-one); otherwise the host configures clustering.</summary>
    public bool UseLocalhostClustering { get; set; }

    public int EffectiveSlots => Slots ?? Math.Max(1, Environment.ProcessorCount / Math.Max(1, ThreadsPerTrial));

    internal void Validate()
    {
        if (Slots is <= 0)
        {
            throw new ArgumentException($"OrchestrationOptions.Slots must be positive, not {Slots}.");
        }

        if (ThreadsPerTrial <= 0)
        {
            throw new ArgumentException($"OrchestrationOptions.ThreadsPerTrial must be positive, not {ThreadsPerTrial}.");
        }

        if (LeaseDuration < TimeSpan.FromMilliseconds(300))
        {
            throw new ArgumentException($"OrchestrationOptions.LeaseDuration must be at least 300 ms, not {LeaseDuration}.");
        }

        if (MaxLostAttempts < 0)
        {
            throw new ArgumentException($"OrchestrationOptions.MaxLostAttempts must not be negative, not {MaxLostAttempts}.");
        }

        if (CheckpointEvery <= 0)
        {
            throw new ArgumentException($"OrchestrationOptions.CheckpointEvery must be positive, not {CheckpointEvery}.");
        }
    }
}
