using RnnLab.Contracts.V1;
using RnnLab.Dashboard.Aggregation;
using WelchResult = RnnLab.Sweeps.Analysis.WelchResult;

namespace RnnLab.Dashboard.Live;

/// <summary>One learning curve to draw: a trial's objective per epoch, already thinned.</summary>
public sealed record DrawnCurve(int Number, string Cell, IReadOnlyList<CurvePoint> Points);

/// <summary>
/// A finished sweep's charts as the server computed them (GetSweepCharts), in the page's own types: the page draws
/// them as it draws the charts it aggregates itself while a sweep runs.
/// </summary>
public sealed record FinishedSweepCharts(
    IReadOnlyList<DrawnCurve> Curves,
    int CurveCandidates,
    int PointsPerCurve,
    IReadOnlyList<CellSummary> Cells,
    ParallelCoordinatesData? Parallel,
    ImportanceResult Importance,
    IReadOnlyList<string> CellNames,
    int FinishedTrials)
{
    public static FinishedSweepCharts From(SweepCharts charts)
    {
        ArgumentNullException.ThrowIfNull(charts);
        var curves = charts.Curves
            .Select(c => new DrawnCurve(c.TrialNumber, c.Cell, c.Epochs.Zip(c.Values, (e, v) => new CurvePoint(e, v)).ToArray()))
            .ToArray();
        var cells = charts.Cells
            .Select(c => new CellSummary(c.Cell, Box(c.All), Box(c.Best), Welch(c.AllVersusBaseline), Welch(c.BestVersusBaseline)))
            .ToArray();
        var parallel = charts.Parallel is { } p ? new ParallelCoordinatesData(p.Axes.Select(Column).ToArray(), Column(p.Objective), p.Shown, p.Total) : null;
        return new FinishedSweepCharts(curves, charts.CurveCandidates, charts.PointsPerCurve, cells, parallel, ToImportance(charts.Importance), charts.CellNames.ToArray(), charts.FinishedTrials);
    }

    private static BoxStatistics Box(ChartBox box) =>
        new(box.Count, box.Mean, box.LowerFence, box.Q1, box.Median, box.Q3, box.UpperFence);

    private static WelchResult? Welch(ChartWelch? test) =>
        test is null ? null : new WelchResult(test.MeanDifference, test.TStatistic, test.DegreesOfFreedom, test.PValue, test.Significant);

    private static ParameterColumn Column(ChartAxis axis) =>
        new(axis.Name, axis.LogScale, axis.Categories.Count > 0 ? axis.Categories.ToArray() : null, axis.Values.ToArray());

    private static ImportanceResult ToImportance(ChartImportance? importance)
    {
        if (importance is null)
        {
            return new ImportanceResult([], null, "the server sent no importance");
        }

        var bars = importance.Bars.Select(b => new ImportanceBar(b.Parameter, b.Fraction, b.StandardDeviation)).ToArray();
        var marginal = importance.Marginal is { } m
            ? new MarginalCurve(m.Parameter, m.LogScale, m.X.ToArray(), m.Categories.Count > 0 ? m.Categories.ToArray() : null, m.Mean.ToArray(), m.StandardDeviation.ToArray())
            : null;
        return new ImportanceResult(bars, marginal, importance.Note.Length > 0 ? importance.Note : null);
    }
}
