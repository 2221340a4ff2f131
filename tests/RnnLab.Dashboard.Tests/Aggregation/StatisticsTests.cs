using RnnLab.Dashboard.Aggregation;

namespace RnnLab.Dashboard.Tests.Aggregation;

public class StatisticsTests
{
    [Fact]
    public void Box_statistics_use_linear_quartiles_and_tukey_whiskers()
    {
        var box = BoxStatistics.Of([100, 1, 2, 3, 4, 5, 6, 7, 8, 9, double.NaN])!;
        Assert.Equal(10, box.Count);
        Assert.Equal(3.25, box.Q1, 12);
        Assert.Equal(5.5, box.Median, 12);
        Assert.Equal(7.75, box.Q3, 12);
        Assert.Equal(1, box.LowerFence);
        // 100 lies beyond Q3 + 1.5 IQR = 14.5, so the upper whisker stops at 9.
        Assert.Equal(9, box.UpperFence);
        Assert.Equal(14.5, box.Mean, 12);
    }

    [Fact]
    public void Box_statistics_of_nothing_are_null()
    {
        Assert.Null(BoxStatistics.Of([double.NaN]));
    }

    [Fact]
    public void Best_fraction_rounds_up_and_follows_the_direction()
    {
        double[] values = [5, 1, 4, 2, 3, 9, 8, 7, 6, 10, 11];
        Assert.Equal([1, 2], BestFraction.Of(values, 0.1, maximize: false));
        Assert.Equal([11, 10], BestFraction.Of(values, 0.1, maximize: true));
        Assert.Equal([3], BestFraction.Of([3], 0.1, maximize: false));
        Assert.Throws<ArgumentOutOfRangeException>(() => BestFraction.Of(values, 0, false));
    }

    [Fact]
    public void Cells_are_compared_with_the_baseline_over_all_and_over_the_best_tenth()
    {
        var trials = new List<TrialSummary>();
        var number = 0;
        for (var i = 0; i < 20; i++)
        {
            trials.Add(Trials.Completed(number++, "lstm", 1.0 + i * 0.01));
            trials.Add(Trials.Completed(number++, "gru", 2.0 + i * 0.01));
        }

        trials.Add(Trials.Running(number++, "gru"));
        trials.Add(Trials.Completed(number, "mut1", 3.0));

        var cells = CellComparisons.Build(trials, "lstm", maximize: false);

        Assert.Equal(["lstm", "gru", "mut1"], cells.Select(c => c.Cell));
        var lstm = cells[0];
        Assert.Null(lstm.AllVersusBaseline);
        Assert.Equal(20, lstm.All.Count);
        Assert.Equal(2, lstm.Best.Count);
        Assert.Equal(1.005, lstm.Best.Median, 12);
        var gru = cells[1];
        Assert.Equal(20, gru.All.Count);
        Assert.True(gru.AllVersusBaseline!.PValue < 1e-10);
        Assert.Equal(1.0, gru.AllVersusBaseline.MeanDifference, 9);
        Assert.NotNull(gru.BestVersusBaseline);
        // One trial: no variance to test with.
        Assert.Null(cells[2].AllVersusBaseline);
    }
}
