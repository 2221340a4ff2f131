namespace RnnLab.Sweeps.Trials;

/// <summary>Which trial and sweep states are final; the one place every layer asks.</summary>
public static class States
{
    public static bool IsFinal(this TrialState state) => state >= TrialState.Completed;

    public static bool IsFinal(this SweepState state) => state >= SweepState.Completed;
}
