using Google.Protobuf.WellKnownTypes;
using Plotly.Blazor.Traces;
using RnnLab.Contracts.V1;
using RnnLab.Dashboard.Aggregation;
using RnnLab.Dashboard.Components.Charts;
using RnnLab.Dashboard.Live;

namespace RnnLab.Dashboard.Tests.Aggregation;

public class ChartTracesTests
{
    [Fact]
    public void Learning_curves_are_one_decimated_line_per_chosen_trial_with_one_legend_entry_per_cell()
    {
        var trials = new[] { Trials.Completed(1, "lstm", 0.5), Trials.Completed(2, "lstm", 0.7), Trials.Running(3, "gru") };
        var curves = new Dictionary<int, IReadOnlyList<CurvePoint>>
        {
            [1] = Enumerable.Range(1, 1000).Select(e => new CurvePoint(e, 1.0 / e)).ToArray(),
            [2] = [new CurvePoint(1, 1)],
            [3] = [new CurvePoint(1, 2), new CurvePoint(2, 1.5)],
        };
        var view = new SweepView(1, new Sweep { Objective = "val_loss" }, new TrialCounts(), trials, curves, ConnectionState.Up, 0);

        var traces = ChartTraces.LearningCurves(view, maxCurves: 10, maxPoints: 50).Cast<Scatter>().ToArray();

        Assert.Equal(3, traces.Length);
        Assert.All(traces, t => Assert.True(t.X.Count <= 50));
        Assert.Equal(["gru", "lstm", "lstm"], traces.Select(t => t.LegendGroup));
        Assert.Equal([true, true, false], traces.Select(t => t.ShowLegend == true));
    }

    [Fact]
    public void Boxes_carry_precomputed_statistics_not_the_trials()
    {
        var trials = Enumerable.Range(0, 40).Select(i => Trials.Completed(i, i % 2 == 0 ? "lstm" : "gru", i)).ToArray();
        var traces = ChartTraces.CellBoxes(CellComparisons.Build(trials, "lstm", false)).Cast<Box>().ToArray();

        Assert.Equal(2, traces.Length);
        Assert.All(traces, t => Assert.Null(t.Y));
        Assert.Equal(["lstm", "gru"], traces[0].X.Cast<string>());
        Assert.Equal(2, traces[0].Median.Count);
    }

    [Fact]
    public void Trial_parameters_are_read_from_the_struct_without_the_cell()
    {
        var parameters = new Struct();
        parameters.Fields["lr"] = Value.ForNumber(0.01);
        parameters.Fields["optimizer"] = Value.ForString("adam");
        parameters.Fields["cell"] = Value.ForString("gru");
        var summary = TrialSummary.From(new Trial { Id = "x", Number = 4, Cell = "gru", State = TrialState.Completed, Objective = 1.5, Parameters = parameters });

        Assert.Equal(["lr", "optimizer"], summary.Parameters.Keys);
        Assert.Equal(0.01, summary.Parameters["lr"]);
        Assert.True(summary.HasResult);
    }
}
