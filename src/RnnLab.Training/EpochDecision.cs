namespace RnnLab.Training;

/// <summary>What the epoch callback wants next.</summary>
public enum EpochDecision
{
    Continue,

    /// <summary>End the trial now; it is reported as <see cref="RunOutcome.Pruned"/>.</summary>
    Stop,
}
