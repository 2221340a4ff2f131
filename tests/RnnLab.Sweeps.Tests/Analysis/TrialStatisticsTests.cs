using RnnLab.Sweeps.Analysis;
using RnnLab.Sweeps.Parameters;
using RnnLab.Sweeps.Spec;
using RnnLab.Sweeps.Trials;

namespace RnnLab.Sweeps.Tests.Analysis;

public class TrialStatisticsTests
{
    private static readonly MetricSpec _loss = new("valid.nll", MetricDirection.Minimize);
    private static readonly MetricSpec _accuracy = new("valid.accuracy", MetricDirection.Maximize);

    private static TrialSnapshot Trial(long id, string cell, double? value, TrialState state = TrialState.Completed) =>
        new(id, ParameterSet.Empty.With("cell", cell).With("lr", 0.01), state, value);

    [Fact]
    public void Leaderboard_ranks_in_the_metric_direction_and_leaves_out_unfinished_and_diverged_trials()
    {
        var trials = new[]
        {
            Trial(1, "lstm", 3.0), Trial(2, "gru", 1.0), Trial(3, "lstm", 2.0), Trial(4, "gru", null, TrialState.Diverged),
            Trial(5, "lstm", 0.5, TrialState.Running), Trial(6, "gru", 1.0), Trial(7, "lstm", 0.1, TrialState.Pruned),
            Trial(8, "lstm", null, TrialState.Failed),
        };

        Assert.Equal([2L, 6, 3, 1], Leaderboard.Rank(trials, _loss).Select(entry => entry.TrialId));
        Assert.Equal([1L, 3, 2, 6], Leaderboard.Rank(trials, _accuracy).Select(entry => entry.TrialId));
        Assert.Equal([7L, 2], Leaderboard.Rank(trials, _loss, new AnalysisOptions(IncludePruned: true), top: 2).Select(entry => entry.TrialId));
        Assert.Equal([1, 2, 3, 4], Leaderboard.Rank(trials, _loss).Select(entry => entry.Rank));
    }

    [Fact]
    public void Stratum_statistics_give_the_box_plot_numbers_for_all_and_the_best_tenth()
    {
        // Reference values from NumPy: mean 3.9, median 3.5, percentiles 25/75 = 2.25/5.0, sample std 2.4698.
        double[] lstm = [3, 1, 4, 1, 5, 9, 2, 6, 5, 3];
        var trials = lstm.Select((value, i) => Trial(i, "lstm", value))
            .Concat([Trial(100, "gru", 2.0), Trial(101, "gru", 4.0), Trial(102, "gru", null, TrialState.Diverged)])
            .ToList();

        var reports = StratumStatistics.Compute(trials, _loss);

        var gru = reports.Single(report => report.Stratum.Equals((ParameterValue)"gru"));
        var report = reports.Single(report => report.Stratum.Equals((ParameterValue)"lstm"));
        Assert.Equal(10, report.All.Count);
        Assert.Equal(3.9, report.All.Mean, 1e-12);
        Assert.Equal(2.4698178070456938, report.All.StandardDeviation, 1e-12);
        Assert.Equal(3.5, report.All.Median, 1e-12);
        Assert.Equal(2.25, report.All.LowerQuartile, 1e-12);
        Assert.Equal(5.0, report.All.UpperQuartile, 1e-12);
        Assert.Equal(1, report.All.Best);
        Assert.Equal(9, report.All.Worst);
        Assert.Equal(1, report.Best.Count);
        Assert.Equal(1.0, report.Best.Mean);
        Assert.Equal(0, report.Diverged);
        Assert.Equal(2, gru.All.Count);
        Assert.Equal(1, gru.Diverged);

        var maximised = StratumStatistics.Compute(trials, _accuracy, bestFraction: 0.2).Single(r => r.Stratum.Equals((ParameterValue)"lstm"));
        Assert.Equal(9, maximised.All.Best);
        Assert.Equal(7.5, maximised.Best.Mean);
    }

    [Fact]
    public void Welch_test_matches_the_reference_implementation()
    {
        // SciPy ttest_ind(equal_var=False): t = -2.455356398286006, p = 0.021378001462866985.
        double[] a = [27.5, 21.0, 19.0, 23.6, 17.0, 17.9, 16.9, 20.1, 21.9, 22.6, 23.1, 19.6, 19.0, 21.7, 21.4];
        double[] b = [27.1, 22.0, 20.8, 23.4, 23.4, 23.5, 25.8, 22.0, 24.8, 20.2, 21.9, 22.1, 22.9, 20.5, 24.4];

        var result = WelchTest.Compare(a, b)!;

        Assert.Equal(-2.455356398286006, result.T, 1e-9);
        Assert.Equal(0.021378001462866985, result.PValue, 1e-7);
        Assert.True(result.Significant);
        Assert.False(WelchTest.Compare(a.Take(8).ToArray(), a.Skip(7).ToArray())!.Significant);
        Assert.Null(WelchTest.Compare([1.0], b));
    }

    [Fact]
    public void Every_cell_is_compared_with_lstm()
    {
        var random = new Random(11);
        var trials = new List<TrialSnapshot>();
        var id = 0;
        foreach (var (cell, mean) in new[] { ("lstm", 1.0), ("gru", 1.0), ("lstm-nfg", 1.5), ("lstm-cifg", 0.6) })
        {
            for (var i = 0; i < 40; i++)
            {
                trials.Add(Trial(id++, cell, mean + 0.2 * (random.NextDouble() - 0.5)));
            }
        }

        var comparisons = CellComparison.AgainstReference(trials, _loss).ToDictionary(c => c.Stratum.AsString());

        Assert.Equal(["gru", "lstm-cifg", "lstm-nfg"], comparisons.Keys.Order());
        Assert.False(comparisons["gru"].Test!.Significant);
        Assert.True(comparisons["lstm-nfg"].SignificantlyWorse(_loss));
        Assert.True(comparisons["lstm-cifg"].SignificantlyBetter(_loss));
        Assert.Equal(40, comparisons["gru"].ReferenceCount);
    }
}
