using RnnLab.Sweeps.Analysis;

namespace RnnLab.Dashboard.Aggregation;

/// <summary>One cell's box statistics over all its completed trials and over its best share, each with Welch's p against the baseline.</summary>
public sealed record CellSummary(string Cell, BoxStatistics All, BoxStatistics Best, WelchResult? AllVersusBaseline, WelchResult? BestVersusBaseline);

/// <summary>
/// Greff et al.'s Figure 3 as numbers. The t-tests are RnnLab.Sweeps.Analysis's CellComparison — the same numbers
/// AnalyzeSweep and the report give; the boxes only describe each cell's values for drawing.
/// </summary>
public static class CellComparisons
{
    public const double DefaultBestFraction = 0.1;

    /// <returns>The baseline cell first (when present), then the others by name.</returns>
    public static IReadOnlyList<CellSummary> Build(IEnumerable<TrialSummary> trials, string baselineCell, bool maximize,
        double bestFraction = DefaultBestFraction, string objective = "objective")
    {
        ArgumentNullException.ThrowIfNull(trials);
        var list = trials.ToList();
        var metric = TrialSnapshots.Metric(objective, maximize);
        var snapshots = TrialSnapshots.From(list, space: null);
        var all = CellComparison.AgainstReference(snapshots, metric, "cell", baselineCell)
            .ToDictionary(c => c.Stratum.ToString(), c => c.Test, StringComparer.Ordinal);
        var best = CellComparison.AgainstReference(snapshots, metric, "cell", baselineCell, bestFraction: bestFraction)
            .ToDictionary(c => c.Stratum.ToString(), c => c.Test, StringComparer.Ordinal);
        var byCell = list.Where(t => t.HasResult)
            .GroupBy(t => t.Cell, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Select(t => t.Objective!.Value).ToArray(), StringComparer.Ordinal);

        return byCell
            .OrderBy(pair => pair.Key == baselineCell ? 0 : 1)
            .ThenBy(pair => pair.Key, StringComparer.Ordinal)
            .Select(pair => new CellSummary(
                pair.Key,
                BoxStatistics.Of(pair.Value)!,
                BoxStatistics.Of(BestFraction.Of(pair.Value, bestFraction, maximize))!,
                all.GetValueOrDefault(pair.Key),
                best.GetValueOrDefault(pair.Key)))
            .ToArray();
    }
}
