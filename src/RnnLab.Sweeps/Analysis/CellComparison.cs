using RnnLab.CellGraphs;
using RnnLab.Sweeps.Parameters;
using RnnLab.Sweeps.Spec;
using RnnLab.Sweeps.Trials;

namespace RnnLab.Sweeps.Analysis;

/// <summary>One stratum against the reference (e.g. lstm-cifg against lstm); Test is null when a side has under two trials.</summary>
public sealed record StratumComparison(ParameterValue Stratum, ParameterValue Reference, int Count, int ReferenceCount,
    WelchResult? Test)
{
    /// <summary>Whether the stratum is significantly better than the reference in the metric's direction.</summary>
    public bool SignificantlyBetter(MetricSpec metric) =>
        Test is { Significant: true } test && metric.ToLoss(test.MeanDifference) < 0;

    public bool SignificantlyWorse(MetricSpec metric) =>
        Test is { Significant: true } test && metric.ToLoss(test.MeanDifference) > 0;
}

/// <summary>Welch's t-test of every stratum against a reference stratum (the Odyssey's comparison with vanilla LSTM).</summary>
public static class CellComparison
{
    /// <param name="bestFraction">When set, compares only the best share of each side (at least one trial each), as
    /// the "best 10 %" panels of the Odyssey's Figure 3 do; the same selection as <see cref="StratumStatistics"/>.</param>
    public static IReadOnlyList<StratumComparison> AgainstReference(IEnumerable<TrialSnapshot> trials, MetricSpec metric,
        string by = "cell", string reference = CellNames.Lstm, AnalysisOptions? options = null, double alpha = WelchTest.DefaultAlpha,
        double? bestFraction = null)
    {
        var referenceValue = ParameterValue.Text(reference);
        var groups = TrialSelection.Select(trials, metric, options ?? AnalysisOptions.Default)
            .Where(x => x.Trial.Parameters.ContainsKey(by))
            .GroupBy(x => x.Trial.Parameters[by])
            .ToDictionary(group => group.Key, group => Best(group.Select(x => x.Value).ToList(), metric, bestFraction));
        var referenceValues = groups.GetValueOrDefault(referenceValue) ?? [];

        return groups
            .Where(group => !group.Key.Equals(referenceValue))
            .OrderBy(group => group.Key.ToString(), StringComparer.Ordinal)
            .Select(group => new StratumComparison(group.Key, referenceValue, group.Value.Count, referenceValues.Count,
                WelchTest.Compare(group.Value, referenceValues, alpha)))
            .ToList();
    }

    /// <summary>The best ⌈fraction·n⌉ values (at least one), best first; all values when fraction is null.</summary>
    internal static List<double> Best(List<double> values, MetricSpec metric, double? fraction)
    {
        if (fraction is not { } share)
        {
            return values;
        }

        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(share);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(share, 1.0);
        var count = Math.Max(1, (int)Math.Ceiling(share * values.Count));
        return values.OrderBy(metric.ToLoss).Take(count).ToList();
    }
}
