using RnnLab.Tasks;

namespace RnnLab.Training;

/// <summary>How a <see cref="TrialRunner"/> reports, checkpoints and resumes a run.</summary>
public sealed record TrialRunOptions
{
    /// <summary>Called after every epoch on the training thread; <see cref="EpochDecision.Stop"/> prunes the trial.</summary>
    public Func<EpochReport, EpochDecision>? OnEpoch { get; init; }

    /// <summary>Receives checkpoints: every <see cref="CheckpointEvery"/> epochs (after <see cref="OnEpoch"/> returned
    /// Continue for that epoch), once after the last epoch run, and on cancellation (then holding the last completed
    /// epoch).</summary>
    public Action<TrialCheckpoint>? CheckpointSink { get; init; }

    /// <summary>Epochs between checkpoints; 0 = only at the end and on cancellation.</summary>
    public int CheckpointEvery { get; init; } = 1;

    /// <summary>A checkpoint to continue from; its config must match the run's (except epochs and threads).</summary>
    public Stream? ResumeFrom { get; init; }

    /// <summary>Where built-in datasets are looked for; null → <c>RNNLAB_DATA_DIR</c>, then the download cache.</summary>
    public string? DataDirectory { get; init; }

    /// <summary>An already built task to use instead of creating one from the config (shared between trials).</summary>
    public ITask? Task { get; init; }
}
