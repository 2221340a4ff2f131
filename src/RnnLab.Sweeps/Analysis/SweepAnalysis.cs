using RnnLab.CellGraphs;
using RnnLab.Sweeps.Parameters;
using RnnLab.Sweeps.Spec;
using RnnLab.Sweeps.Trials;

namespace RnnLab.Sweeps.Analysis;

/// <summary>
/// Everything the analysis says about one sweep. Fanova is null (with the reason in FanovaSkipped) while too few
/// trials have finished or the metric has not varied yet.
/// </summary>
public sealed record SweepAnalysisReport(
    IReadOnlyList<LeaderboardEntry> Leaderboard,
    string StratifiedBy,
    IReadOnlyList<StratumReport> Strata,
    IReadOnlyList<StratumComparison> Comparisons,
    FanovaReport? Fanova,
    string? FanovaSkipped);

/// <summary>One call for a sweep's leaderboard, per-stratum statistics, t-tests against the reference cell and fANOVA.</summary>
public static class SweepAnalysis
{
    /// <param name="by">The stratifying parameter; defaults to the stratified sampler's, else cell.</param>
    public static SweepAnalysisReport Analyze(SweepSpec spec, IEnumerable<TrialSnapshot> trials, string? by = null,
        string reference = CellNames.Lstm, int top = 20, AnalysisOptions? options = null, FanovaOptions? fanova = null)
    {
        var list = trials.ToList();
        by ??= spec.Sampler.StratifyBy ?? "cell";
        FanovaReport? importance = null;
        string? skipped = null;
        try
        {
            importance = FanovaAnalysis.Analyze(list, spec.Space, spec.Metric, fanova);
        }
        catch (InvalidOperationException exception)
        {
            skipped = exception.Message;
        }

        return new SweepAnalysisReport(
            Leaderboard.Rank(list, spec.Metric, options, top),
            by,
            StratumStatistics.Compute(list, spec.Metric, by, options: options),
            CellComparison.AgainstReference(list, spec.Metric, by, reference, options),
            importance,
            skipped);
    }
}
