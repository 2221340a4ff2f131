using RnnLab.Sweeps.Stopping;

namespace RnnLab.Sweeps.Tests.Stopping;

public class EarlyStoppingRuleTests
{
    [Fact]
    public void Asha_rungs_grow_geometrically_below_the_last_epoch()
    {
        Assert.Equal([1, 3, 9], new AshaStopping(gracePeriod: 1, reductionFactor: 3, maxEpochs: 27).Milestones);
        Assert.Equal([2, 4, 8, 16], new AshaStopping(gracePeriod: 2, reductionFactor: 2, maxEpochs: 20).Milestones);
    }

    [Fact]
    public void Asha_keeps_the_best_third_of_a_rung_whatever_the_arrival_order()
    {
        var asha = new AshaStopping(gracePeriod: 1, reductionFactor: 3, maxEpochs: 27);
        Assert.Equal(StoppingDecision.Continue, asha.Report(1, 1, 2.0));
        Assert.Equal(StoppingDecision.Continue, asha.Report(2, 1, 1.0));
        Assert.Equal(StoppingDecision.Stop, asha.Report(3, 1, 3.0));

        // Rung 1 holds {1, 2, 3}: the 1/3 quantile is 1 + (2/3)·(2 − 1) ≈ 1.67.
        Assert.Equal(StoppingDecision.Stop, asha.Report(4, 1, 1.7));
        Assert.Equal(StoppingDecision.Continue, asha.Report(5, 1, 1.6));

        // Between rungs nothing is decided; at rung 3 trial 2 is the first and continues.
        Assert.Equal(StoppingDecision.Continue, asha.Report(1, 2, 9.0));
        Assert.Equal(StoppingDecision.Continue, asha.Report(2, 3, 0.5));
        Assert.Equal(StoppingDecision.Stop, asha.Report(1, 3, 0.9));
    }

    [Fact]
    public void Asha_judges_a_trial_that_skipped_a_rung_at_the_rung_it_reached()
    {
        var asha = new AshaStopping(gracePeriod: 1, reductionFactor: 3, maxEpochs: 27);
        asha.Report(1, 3, 1.0);

        Assert.Equal(StoppingDecision.Stop, asha.Report(2, 4, 2.0));
    }

    [Fact]
    public void Median_rule_needs_enough_trials_at_the_same_epoch()
    {
        var median = new MedianStopping(gracePeriod: 1, minTrials: 3);
        foreach (var (trial, loss) in new[] { (1L, 1.0), (2L, 2.0) })
        {
            median.Report(trial, 1, loss);
            median.Report(trial, 2, loss);
        }

        Assert.Equal(StoppingDecision.Continue, median.Report(9, 2, 5.0));

        median.Report(3, 1, 3.0);
        median.Report(3, 2, 3.0);

        // Others' best by epoch 2, trial 9 included: {1, 2, 3, 5} → median 2.5.
        Assert.Equal(StoppingDecision.Stop, median.Report(10, 2, 2.6));
        Assert.Equal(StoppingDecision.Continue, median.Report(11, 2, 1.5));
    }

    [Fact]
    public void Median_rule_compares_best_so_far_values()
    {
        var median = new MedianStopping(gracePeriod: 1, minTrials: 1);
        median.Report(1, 1, 1.0);
        median.Report(1, 2, 1.0);
        median.Report(2, 1, 0.5);

        // Trial 2's epoch 2 is worse than trial 1, but its best so far (0.5) is not.
        Assert.Equal(StoppingDecision.Continue, median.Report(2, 2, 1.2));
    }
}
