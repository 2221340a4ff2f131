using Plotly.Blazor.Traces;
using RnnLab.Contracts.V1;
using RnnLab.Dashboard.Components.Charts;
using RnnLab.Dashboard.Live;

namespace RnnLab.Dashboard.Tests.Aggregation;

public class FinishedSweepChartsTests
{
    [Fact]
    public void The_servers_charts_become_the_pages_own_traces()
    {
        var charts = new SweepCharts
        {
            Objective = "objective",
            CurveCandidates = 5,
            PointsPerCurve = 150,
            FinishedTrials = 5,
            Curves =
            {
                new ChartCurve { TrialNumber = 4, Cell = "lstm", Epochs = { 1, 2, 9 }, Values = { 0.9, 0.5, 0.4 } },
                new ChartCurve { TrialNumber = 2, Cell = "gru", Epochs = { 1, 2 }, Values = { 0.8, 0.3 } },
            },
            Cells =
            {
                new ChartCell { Cell = "lstm", All = Box(3, 0.5), Best = Box(1, 0.4) },
                new ChartCell
                {
                    Cell = "gru", All = Box(2, 0.4), Best = Box(1, 0.3),
                    AllVersusBaseline = new ChartWelch { MeanDifference = -0.1, TStatistic = -2.5, DegreesOfFreedom = 3, PValue = 0.04, Significant = true },
                },
            },
            Parallel = new ChartParallel
            {
                Axes = { new ChartAxis { Name = "cell", Categories = { "gru", "lstm" }, Values = { 0, 1 } }, new ChartAxis { Name = "lr", LogScale = true, Values = { -2, -3 } } },
                Objective = new ChartAxis { Name = "objective", Values = { 0.3, 0.4 } },
                Shown = 2,
                Total = 5,
            },
            Importance = new ChartImportance
            {
                Bars = { new ChartImportanceBar { Parameter = "lr", Fraction = 0.7, StandardDeviation = 0.1 } },
                Marginal = new ChartMarginal { Parameter = "lr", LogScale = true, X = { 0.001, 0.01 }, Mean = { 0.5, 0.3 }, StandardDeviation = { 0.1, 0.1 } },
            },
            CellNames = { "gru", "lstm" },
        };

        var finished = FinishedSweepCharts.From(charts);

        var curves = ChartTraces.LearningCurves(finished.Curves, finished.CellNames).Cast<Scatter>().ToArray();
        Assert.Equal(["gru", "lstm"], curves.Select(c => c.LegendGroup));
        Assert.Equal([1.0, 2.0, 9.0], curves[1].X.Cast<double>());
        Assert.Equal([0.9, 0.5, 0.4], curves[1].Y.Cast<double>());
        Assert.Null(finished.Cells[0].AllVersusBaseline);
        Assert.Equal(0.04, finished.Cells[1].AllVersusBaseline!.PValue);
        Assert.True(finished.Cells[1].AllVersusBaseline!.Significant);
        Assert.Equal([0.5, 0.4], ChartTraces.CellBoxes(finished.Cells).Cast<Box>().First().Median.Cast<double>());
        Assert.Equal(["gru", "lstm"], finished.Parallel!.Axes[0].Categories);
        Assert.Null(finished.Parallel.Axes[1].Categories);
        Assert.Equal((2, 5), (finished.Parallel.Shown, finished.Parallel.Total));
        Assert.Single(ChartTraces.Parallel(finished.Parallel, maximize: false));
        Assert.Equal("lr", finished.Importance.Bars.Single().Parameter);
        Assert.Null(finished.Importance.Note);
        Assert.Null(finished.Importance.Marginal!.Categories);
        Assert.Equal(3, ChartTraces.Marginal(finished.Importance.Marginal).Count);
    }

    private static ChartBox Box(int count, double median) =>
        new() { Count = count, Mean = median, LowerFence = median - 0.1, Q1 = median - 0.05, Median = median, Q3 = median + 0.05, UpperFence = median + 0.1 };
}
