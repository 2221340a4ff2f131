using RnnLab.Sweeps.Trials;

namespace RnnLab.Grains;

/// <summary>The kinds of progress events a sweep emits.</summary>
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

/// <summary>One numbered progress event of a sweep; sequence numbers start at 1 and have no gaps.</summary>
[GenerateSerializer, Immutable, Alias("rnnlab.SweepEvent")]
public sealed record SweepEvent(
    [property: Id(0)] Guid SweepId,
    [property: Id(1)] long Sequence,
    [property: Id(2)] string Kind,
    [property: Id(3)] DateTime Time,
    [property: Id(4)] int? TrialNumber = null,
    [property: Id(5)] int? Epoch = null,
    [property: Id(6)] double? Value = null,
    [property: Id(7)] TrialState? TrialState = null,
    [property: Id(8)] SweepState? SweepState = null,
    [property: Id(9)] string? Detail = null);
