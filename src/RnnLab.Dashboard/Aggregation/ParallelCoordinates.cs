namespace RnnLab.Dashboard.Aggregation;

/// <summary>The lines of a parallel-coordinates plot: hyperparameter axes, then the objective, one line per shown trial.</summary>
public sealed record ParallelCoordinatesData(IReadOnlyList<ParameterColumn> Axes, ParameterColumn Objective, int Shown, int Total);

/// <summary>Builds parallel coordinates from completed trials, thinning evenly by rank so the best and the spread both stay.</summary>
public static class ParallelCoordinates
{
    public static ParallelCoordinatesData? Build(IEnumerable<TrialSummary> trials, string objectiveName, bool maximize, int maxLines)
    {
        ArgumentNullException.ThrowIfNull(trials);
        if (maxLines < 2)
        {
            throw new ArgumentOutOfRangeException(nameof(maxLines), maxLines, "at least 2 lines");
        }

        var ranked = trials.Where(t => t.HasResult).ToArray();
        if (ranked.Length == 0)
        {
            return null;
        }

        ranked = (maximize ? ranked.OrderByDescending(t => t.Objective) : ranked.OrderBy(t => t.Objective)).ThenBy(t => t.Number).ToArray();
        var shown = ranked.Length <= maxLines
            ? ranked
            : Enumerable.Range(0, maxLines).Select(i => ranked[(int)Math.Round(i * (ranked.Length - 1) / (double)(maxLines - 1))]).ToArray();
        var objective = new ParameterColumn(objectiveName, false, null, shown.Select(t => t.Objective!.Value).ToArray());
        return new ParallelCoordinatesData(ParameterColumn.From(shown), objective, shown.Length, ranked.Length);
    }
}
