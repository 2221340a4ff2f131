namespace RnnLab.Sweeps.Trials;

/// <summary>
/// Where a trial is in its life: Pending → Running → Completed | Pruned | Diverged | Failed | Cancelled.
/// Failed only after its retries are spent; Diverged means the loss became NaN or infinite.
/// </summary>
public enum TrialState
{
    Pending,
    Running,
    Completed,
    Pruned,
    Diverged,
    Failed,
    Cancelled,
}
