using RnnLab.Sweeps.Parameters;
using RnnLab.Sweeps.Spec;
using RnnLab.Sweeps.Trials;

namespace RnnLab.Sweeps.Analysis;

/// <summary>
/// One stratum (e.g. one cell) of a sweep: its summary over all analysed trials and over its best fraction
/// (10 % by default, at least one trial), plus how many of its trials diverged.
/// </summary>
public sealed record StratumReport(ParameterValue Stratum, MetricSummary All, MetricSummary Best, int Diverged);

/// <summary>Per-stratum statistics, the comparison behind the Odyssey's box plots.</summary>
public static class StratumStatistics
{
    public static IReadOnlyList<StratumReport> Compute(IEnumerable<TrialSnapshot> trials, MetricSpec metric,
        string by = "cell", double bestFraction = 0.1, AnalysisOptions? options = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(bestFraction);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(bestFraction, 1.0);
        var list = trials.ToList();
        var selected = TrialSelection.Select(list, metric, options ?? AnalysisOptions.Default);
        var diverged = list.Where(trial => trial.State == TrialState.Diverged && trial.Parameters.ContainsKey(by))
            .GroupBy(trial => trial.Parameters[by])
            .ToDictionary(group => group.Key, group => group.Count());

        return selected
            .Where(x => x.Trial.Parameters.ContainsKey(by))
            .GroupBy(x => x.Trial.Parameters[by])
            .OrderBy(group => group.Key.ToString(), StringComparer.Ordinal)
            .Select(group =>
            {
                var ranked = group.Select(x => x.Value).OrderBy(metric.ToLoss).ToList();
                return new StratumReport(
                    group.Key,
                    MetricSummary.Of(ranked, metric.Direction)!,
                    MetricSummary.Of(CellComparison.Best(ranked, metric, bestFraction), metric.Direction)!,
                    diverged.GetValueOrDefault(group.Key));
            })
            .ToList();
    }
}
