using SweepsTrialState = RnnLab.Sweeps.Trials.TrialState;

namespace RnnLab.Grains;

/// <summary>Maps the stored states to the domain's (same names on both sides).</summary>
internal static class StateMapping
{
    public static SweepsTrialState ToDomain(this Storage.TrialState state) => Enum.Parse<SweepsTrialState>(state.ToString());

    public static Storage.TrialState ToStored(this SweepsTrialState state) => Enum.Parse<Storage.TrialState>(state.ToString());

    public static SweepState ToDomain(this Storage.SweepState state) => Enum.Parse<SweepState>(state.ToString());

    public static Storage.SweepState ToStored(this SweepState state) => Enum.Parse<Storage.SweepState>(state.ToString());

    public static bool IsFinal(this SweepsTrialState state) => state >= SweepsTrialState.Completed;
}
