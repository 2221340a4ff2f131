namespace RnnLab.Dashboard.Aggregation;

/// <summary>One cell's box statistics over all its completed trials and over its best share, each with Welch's p against the baseline.</summary>
public sealed record CellSummary(string Cell, BoxStatistics All, BoxStatistics Best, WelchResult? AllVersusBaseline, WelchResult? BestVersusBaseline);

/// <summary>Greff et al.'s Figure 3 as numbers: per-cell boxes over all trials and the best 10 %, compared with a baseline cell.</summary>
public static class CellComparisons
{
    public const double DefaultBestFraction = 0.1;

    /// <returns>The baseline cell first (when present), then the others by name.</returns>
    public static IReadOnlyList<CellSummary> Build(IEnumerable<TrialSummary> trials, string baselineCell, bool maximize,
        double bestFraction = DefaultBestFraction)
    {
        ArgumentNullException.ThrowIfNull(trials);
        var byCell = trials.Where(t => t.HasResult)
            .GroupBy(t => t.Cell, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Select(t => t.Objective!.Value).ToArray(), StringComparer.Ordinal);
        byCell.TryGetValue(baselineCell, out var baselineAll);
        var baselineBest = baselineAll is null ? null : BestFraction.Of(baselineAll, bestFraction, maximize);

        return byCell
            .OrderBy(pair => pair.Key == baselineCell ? 0 : 1)
            .ThenBy(pair => pair.Key, StringComparer.Ordinal)
            .Select(pair =>
            {
                var best = BestFraction.Of(pair.Value, bestFraction, maximize);
                var isBaseline = pair.Key == baselineCell;
                return new CellSummary(
                    pair.Key,
                    BoxStatistics.Of(pair.Value)!,
                    BoxStatistics.Of(best)!,
                    isBaseline || baselineAll is null ? null : WelchTest.Compare(pair.Value, baselineAll),
                    isBaseline || baselineBest is null ? null : WelchTest.Compare(best, baselineBest));
            })
            .ToArray();
    }
}
