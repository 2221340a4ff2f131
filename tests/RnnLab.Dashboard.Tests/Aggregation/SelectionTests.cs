using RnnLab.Contracts.V1;
using RnnLab.Dashboard.Aggregation;

namespace RnnLab.Dashboard.Tests.Aggregation;

public class SelectionTests
{
    [Fact]
    public void Few_trials_all_get_curves()
    {
        var candidates = Enumerable.Range(0, 5).Select(i => new CurveCandidate(i, "lstm", TrialState.Completed, i));
        Assert.Equal([0, 1, 2, 3, 4], CurveSelection.Choose(candidates, maximize: false, cap: 5, perCell: 1));
    }

    [Fact]
    public void Past_the_cap_running_trials_then_the_best_of_each_cell_are_drawn()
    {
        var candidates = new List<CurveCandidate>();
        for (var i = 0; i < 100; i++)
        {
            candidates.Add(new CurveCandidate(i, i % 2 == 0 ? "lstm" : "gru", TrialState.Completed, i));
        }

        candidates.Add(new CurveCandidate(500, "gru", TrialState.Running, null));
        var chosen = CurveSelection.Choose(candidates, maximize: false, cap: 6, perCell: 2);

        // Running 500; best two lstm (0, 2) and gru (1, 3); then the best remaining overall (4).
        Assert.Equal([0, 1, 2, 3, 4, 500], chosen);
        Assert.Equal([95, 96, 97, 98, 99, 500], CurveSelection.Choose(candidates, maximize: true, cap: 6, perCell: 2));
    }

    [Fact]
    public void Parallel_coordinates_thin_by_rank_and_keep_the_best()
    {
        var trials = Enumerable.Range(0, 50)
            .Select(i => Trials.Completed(i, i % 2 == 0 ? "lstm" : "gru", 100 - i, ("lr", Math.Pow(10, -4 + i / 10.0)), ("hidden", (double)(20 + i)), ("optimizer", i % 3 == 0 ? "adam" : "sgd")))
            .Append(Trials.Running(99, "lstm"))
            .ToArray();

        var data = ParallelCoordinates.Build(trials, "val_loss", maximize: false, maxLines: 10)!;

        Assert.Equal(10, data.Shown);
        Assert.Equal(50, data.Total);
        Assert.Equal(["cell", "hidden", "lr", "optimizer"], data.Axes.Select(a => a.Name));
        Assert.Equal("log10(lr)", data.Axes.Single(a => a.Name == "lr").Label);
        Assert.Equal(["adam", "sgd"], data.Axes.Single(a => a.Name == "optimizer").Categories!);
        Assert.Equal(51, data.Objective.Values[0]);
        Assert.Equal(100, data.Objective.Values[^1]);
        Assert.All(data.Axes, axis => Assert.Equal(10, axis.Values.Count));
    }
}
