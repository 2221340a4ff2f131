namespace RnnLab.Storage;

/// <summary>Lifecycle of a trial as persisted (DESIGN.md: Pending → Running → a final state).</summary>
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

/// <summary>Which trial states are final.</summary>
public static class TrialStates
{
    public static bool IsFinal(this TrialState state) => state >= TrialState.Completed;

    public static IReadOnlyList<TrialState> Final { get; } =
        [TrialState.Completed, TrialState.Pruned, TrialState.Diverged, TrialState.Failed, TrialState.Cancelled];
}

/// <summary>Which sweep states are final.</summary>
public static class SweepStates
{
    public static bool IsFinal(this SweepState state) => state >= SweepState.Completed;
}
