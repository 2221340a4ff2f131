using RnnLab.Contracts.V1;
using RnnLab.Dashboard.Aggregation;

namespace RnnLab.Dashboard.Live;

/// <summary>An immutable copy of what a <see cref="SweepWatcher"/> knows, for one render of the sweep page.</summary>
public sealed record SweepView(
    long Version,
    Sweep Sweep,
    TrialCounts Counts,
    IReadOnlyList<TrialSummary> Trials,
    IReadOnlyDictionary<int, IReadOnlyList<CurvePoint>> Curves,
    ConnectionState Connection,
    long LastEvent)
{
    public bool IsLive => Sweep.State is SweepState.Running or SweepState.Paused;

    /// <summary>Trials in a final state.</summary>
    public int Finished => Counts.Completed + Counts.Pruned + Counts.Diverged + Counts.Failed + Counts.Cancelled;
}
