namespace RnnLab.Storage;

/// <summary>Lifecycle of a sweep as persisted.</summary>
public enum SweepState
{
    Running,
    Paused,
    Completed,
    Cancelled,
    Failed,
}
