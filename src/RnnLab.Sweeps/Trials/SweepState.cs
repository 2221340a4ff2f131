namespace RnnLab.Sweeps.Trials;

/// <summary>Where a sweep is in its life: Running ⇄ Paused → Completed | Cancelled | Failed.</summary>
public enum SweepState
{
    Running,
    Paused,
    Completed,
    Cancelled,
    Failed,
}
