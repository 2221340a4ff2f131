namespace RnnLab.Contracts.Watching;

/// <summary>
/// The values of <see cref="V1.SweepEvent.Kind"/>: the public names of the events the grains emit (a test keeps the two
/// lists equal, as the grains know nothing of the API).
/// </summary>
public static class SweepEventKinds
{
    public const string SweepStarted = "sweep-started";
    public const string TrialStarted = "trial-started";
    public const string Epoch = "epoch";
    public const string TrialRequeued = "trial-requeued";
    public const string TrialFinished = "trial-finished";
    public const string SweepPaused = "sweep-paused";
    public const string SweepResumed = "sweep-resumed";
    public const string SweepFinished = "sweep-finished";
    public const string SweepExtended = "sweep-extended";
    public const string SweepReopened = "sweep-reopened";
    public const string TrialStopRequested = "trial-stop-requested";
}
