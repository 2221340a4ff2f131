namespace RnnLab.Training;

/// <summary>The outcome of one trial: final metrics (<c>valid.*</c> of the best epoch and, unless cancelled or
/// diverged, <c>test.*</c> with the best weights), the best epoch and how many epochs ran.</summary>
public sealed record TrialResult(
    RunOutcome State,
    IReadOnlyDictionary<string, double> Metrics,
    int BestEpoch,
    int EpochsRun,
    double Seconds,
    string? Message = null);
