using RnnLab.Dashboard.Aggregation;

namespace RnnLab.Dashboard.Tests.Aggregation;

public class ImportanceAnalysisTests
{
    [Fact]
    public void The_parameter_that_drives_the_objective_ranks_first_and_gets_the_marginal()
    {
        // Objective = (log10 lr + 3)² plus a little of hidden: the learning rate explains nearly all of it.
        var random = new Random(7);
        var trials = Enumerable.Range(0, 200).Select(i =>
        {
            var lr = Math.Pow(10, -6 + 4 * random.NextDouble());
            var hidden = 20 + 180 * random.NextDouble();
            var objective = Math.Pow(Math.Log10(lr) + 3, 2) + hidden / 1000;
            return Trials.Completed(i, i % 2 == 0 ? "lstm" : "gru", objective, ("lr", lr), ("hidden", hidden));
        }).ToArray();

        var result = ImportanceAnalysis.Compute(trials, trees: 16);

        Assert.Null(result.Note);
        Assert.Equal("lr", result.Bars[0].Parameter);
        Assert.True(result.Bars[0].Fraction > 0.8, $"lr explains {result.Bars[0].Fraction}");
        Assert.Equal(3, result.Bars.Count);
        var marginal = result.Marginal!;
        Assert.Equal("lr", marginal.Parameter);
        Assert.True(marginal.LogScale);
        // The curve spans the sampled learning rates.
        var sampled = trials.Select(t => (double)t.Parameters["lr"]).ToArray();
        Assert.Equal(sampled.Min(), marginal.X[0], 12);
        Assert.Equal(sampled.Max(), marginal.X[^1], 12);
        // The predicted objective is lowest near lr = 1e-3, as the formula says.
        var best = marginal.X[marginal.Mean.Select((m, i) => (m, i)).MinBy(p => p.m).i];
        Assert.InRange(Math.Log10(best), -3.5, -2.5);
    }

    [Fact]
    public void Too_few_trials_give_a_note_instead_of_bars()
    {
        var result = ImportanceAnalysis.Compute([Trials.Completed(1, "lstm", 1, ("lr", 0.1))]);
        Assert.Empty(result.Bars);
        Assert.Null(result.Marginal);
        Assert.Contains("at least", result.Note);
    }
}
