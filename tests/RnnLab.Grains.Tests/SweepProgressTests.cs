using Microsoft.Extensions.Time.Testing;
using RnnLab.Grains.Sweeping;
using RnnLab.Sweeps.Spec;
using RnnLab.Sweeps.Trials;

namespace RnnLab.Grains.Tests;

/// <summary>A sweep's proposal, stop directives, time limit and completion, without a cluster, on a fake clock.</summary>
public sealed class SweepProgressTests
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    private DateTime Now => _clock.GetUtcNow().UtcDateTime;

    private SweepProgress Progress(int trials = 5, int parallelism = 2, string? budgetExtra = null, string stopping = "none")
    {
        var text = Specs.Quadratic("progress", trials, parallelism, epochs: 5, delayMs: 0)
            .Replace("early_stopping: none", $"early_stopping: {stopping}");
        if (budgetExtra is not null)
        {
            text = text.Replace("budget: {", $"budget: {{ {budgetExtra},");
        }

        return new SweepProgress(SweepSpec.ParseOrThrow(text), Now, SweepState.Running, 0, []);
    }

    private static void AddAll(SweepProgress progress, IEnumerable<(int Number, RnnLab.Sweeps.Parameters.ParameterSet Parameters)> proposed)
    {
        foreach (var (number, parameters) in proposed)
        {
            progress.Added(number, Guid.NewGuid(), parameters);
        }
    }

    [Fact]
    public void Proposes_up_to_the_parallelism_then_one_per_finished_trial_until_the_budget_is_spent()
    {
        var progress = Progress(trials: 3, parallelism: 2);

        var first = progress.Propose();
        Assert.Equal([0, 1], first.Select(p => p.Number));
        AddAll(progress, first);
        Assert.Empty(progress.Propose());

        Assert.True(progress.Finish(0, TrialState.Completed, 1.5, null, null));
        var second = progress.Propose();
        Assert.Equal([2], second.Select(p => p.Number));
        AddAll(progress, second);

        progress.Finish(1, TrialState.Completed, 0.5, null, null);
        Assert.Empty(progress.Propose());
        Assert.Null(progress.Completion());
        progress.Finish(2, TrialState.Failed, null, null, null);

        Assert.Equal(SweepState.Completed, progress.Completion());
        Assert.Equal(0.5, progress.Best);
        Assert.Equal(3, progress.Finished);
    }

    [Fact]
    public void Counts_follow_every_change_of_state()
    {
        var progress = Progress(trials: 4, parallelism: 4);
        AddAll(progress, progress.Propose());

        progress.Started(0);
        progress.Started(1);
        Assert.Equal(2, progress.Running);
        Assert.Equal(4, progress.InFlight);

        Assert.NotNull(progress.Requeued(1));
        progress.Finish(0, TrialState.Completed, 2, null, null);

        Assert.Equal(0, progress.Running);
        Assert.Equal(3, progress.InFlight);
        Assert.Equal(1, progress.Finished);
        Assert.Equal([1, 2, 3], progress.InState(TrialState.Pending));
    }

    [Fact]
    public void A_result_is_taken_once()
    {
        var progress = Progress();
        AddAll(progress, progress.Propose());

        Assert.True(progress.Finish(0, TrialState.Completed, 3, null, null));
        Assert.False(progress.Finish(0, TrialState.Completed, 1, null, null));
        Assert.False(progress.Finish(42, TrialState.Completed, 1, null, null));
        Assert.Null(progress.Requeued(0));

        Assert.Equal(3, progress.Best);
    }

    [Fact]
    public void A_paused_sweep_proposes_nothing_and_does_not_complete()
    {
        var progress = Progress(trials: 1, parallelism: 1);
        AddAll(progress, progress.Propose());
        progress.Finish(0, TrialState.Completed, 1, null, null);
        progress.State = SweepState.Paused;

        Assert.Null(progress.Completion());
        progress.State = SweepState.Running;
        Assert.Equal(SweepState.Completed, progress.Completion());
    }

    [Fact]
    public void Extending_the_budget_proposes_more()
    {
        var progress = Progress(trials: 1, parallelism: 2);
        AddAll(progress, progress.Propose());
        progress.Finish(0, TrialState.Completed, 1, null, null);
        Assert.Equal(SweepState.Completed, progress.Completion());

        progress.ExtraTrials = 2;

        Assert.Equal(3, progress.Budget);
        Assert.Equal([1, 2], progress.Propose().Select(p => p.Number));
    }

    [Fact]
    public void A_cancelled_sweep_completes_cancelled_once_nothing_is_in_flight_and_stops_every_trial()
    {
        var progress = Progress(trials: 2, parallelism: 2);
        AddAll(progress, progress.Propose());
        progress.Started(0);
        progress.State = SweepState.Cancelled;
        progress.Ended(1, TrialState.Cancelled);

        Assert.True(progress.StopsAllTrials(Now));
        Assert.True(progress.AsksCancelled(0, Now));
        Assert.Empty(progress.Propose());
        Assert.Null(progress.Completion());

        progress.Finish(0, TrialState.Cancelled, null, null, null);
        Assert.Equal(SweepState.Cancelled, progress.Completion());
    }

    [Fact]
    public void A_stop_on_request_answers_the_next_epoch_and_only_a_cancel_asks_for_a_cancelled_result()
    {
        var progress = Progress(trials: 2, parallelism: 2);
        AddAll(progress, progress.Propose());
        progress.RequestStop(0, prune: false);
        progress.RequestStop(1, prune: true);

        Assert.False(progress.AsksCancelled(0, Now));
        Assert.Equal(TrialDirective.Cancel, progress.OnEpoch(0, 1, 1.0));
        Assert.Equal(TrialDirective.Stop, progress.OnEpoch(1, 1, 1.0));
        Assert.Equal(TrialDirective.Continue, progress.OnEpoch(1, 2, 1.0));

        Assert.True(progress.AsksCancelled(0, Now));
        Assert.False(progress.AsksCancelled(1, Now));
    }

    [Fact]
    public void The_early_stopping_rule_decides_other_epochs_and_learns_the_last_epoch_that_came_with_a_result()
    {
        var progress = Progress(trials: 3, parallelism: 3, stopping: "{ type: median, grace_period: 1, min_trials: 1 }");
        AddAll(progress, progress.Propose());
        // Trial 0's last epoch came with its result; the rule still compares trial 1 against it.
        progress.Finish(0, TrialState.Completed, 1.0, lastEpoch: 2, lastEpochValue: 1.0);

        Assert.Equal(TrialDirective.Stop, progress.OnEpoch(1, 2, 5.0));
        Assert.Equal(TrialDirective.Continue, progress.OnEpoch(2, 2, 0.5));
        Assert.Equal(TrialDirective.Continue, progress.OnEpoch(2, 3, double.NaN));
    }

    [Fact]
    public void The_time_limit_counts_from_submission_and_winds_the_sweep_down_once()
    {
        var progress = Progress(trials: 10, parallelism: 2, budgetExtra: "time_limit: 60s");
        AddAll(progress, progress.Propose());
        Assert.Equal(Now + TimeSpan.FromSeconds(60), progress.Deadline);

        _clock.Advance(TimeSpan.FromSeconds(59));
        Assert.False(progress.ShouldExpire(Now));
        Assert.False(progress.StopsAllTrials(Now));

        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.True(progress.ShouldExpire(Now));
        Assert.True(progress.AsksCancelled(0, Now));
        progress.Expire();

        Assert.False(progress.ShouldExpire(Now));
        Assert.Empty(progress.Propose());
        progress.Ended(0, TrialState.Cancelled);
        progress.Ended(1, TrialState.Cancelled);
        Assert.Equal(SweepState.Completed, progress.Completion());
    }

    [Fact]
    public void A_retried_trial_is_pending_again_without_its_result()
    {
        var progress = Progress(trials: 2, parallelism: 2);
        AddAll(progress, progress.Propose());
        progress.Finish(0, TrialState.Completed, 0.25, null, null);
        progress.Finish(1, TrialState.Completed, 0.75, null, null);

        progress.Reopened(0);

        Assert.Equal(0.75, progress.Best);
        Assert.Equal(TrialState.Pending, progress.Trials[0].State);
        Assert.Null(progress.Completion());
    }

    [Fact]
    public void A_restored_sweep_counts_its_stored_trials_and_numbers_on_from_them()
    {
        var spec = SweepSpec.ParseOrThrow(Specs.Quadratic("restored", trials: 4, parallelism: 3, epochs: 2, delayMs: 0));
        var parameters = RnnLab.Sweeps.Parameters.ParameterSet.FromJson("""{"lr":0.1,"momentum":0.5}""");
        var progress = new SweepProgress(spec, Now, SweepState.Running, 0,
        [
            (0, new SweepTrial(Guid.NewGuid(), parameters, TrialState.Completed, 2.0)),
            (1, new SweepTrial(Guid.NewGuid(), parameters, TrialState.Running, null)),
        ]);

        Assert.Equal(2.0, progress.Best);
        Assert.Equal(1, progress.Running);
        Assert.Equal([2, 3], progress.Propose().Select(p => p.Number));
    }
}
