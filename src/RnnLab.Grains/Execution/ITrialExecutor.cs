using RnnLab.Sweeps.Trials;

namespace RnnLab.Grains.Execution;

/// <summary>What an executor does after an epoch, as decided by the trial's grain.</summary>
public enum EpochDecision
{
    Continue,
    Stop,
}

/// <summary>
/// One attempt to run: its start data, the checkpoint to resume from, and the callbacks to the platform.
/// <see cref="OnEpoch"/> takes the epoch, its metrics, and whether it is the attempt's last epoch whatever the
/// decision (the platform then sends that report with the result instead of on its own).
/// </summary>
public sealed record TrialExecution(
    TrialStart Start,
    byte[]? Checkpoint,
    Func<int, IReadOnlyDictionary<string, double>, bool, EpochDecision> OnEpoch,
    Action<int, byte[]> SaveCheckpoint);

/// <summary>How an attempt ended: Completed, Pruned (stopped early), Diverged or Cancelled; <paramref name="Message"/>
/// says why a run stopped short (stored with the trial).</summary>
public sealed record TrialOutcomeOnWorker(TrialState State, int Epochs, IReadOnlyDictionary<string, double> FinalMetrics, string? Message = null);

/// <summary>Runs one attempt of one task's trials synchronously on the calling thread (a worker slot's own thread).</summary>
public interface ITrialExecutor
{
    /// <summary>Task names this executor runs; "*" runs any task no other executor claims.</summary>
    IReadOnlyCollection<string> Tasks { get; }

    TrialOutcomeOnWorker Execute(TrialExecution execution, CancellationToken cancellationToken);
}
