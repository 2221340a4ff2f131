using Microsoft.Extensions.Time.Testing;
using RnnLab.Grains.Trials;
using RnnLab.Sweeps.Trials;

namespace RnnLab.Grains.Tests;

/// <summary>A trial's attempt fence, attempt and retry limits, back-off and epoch order, on a fake clock.</summary>
public sealed class TrialAttemptsTests
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    private DateTime Now => _clock.GetUtcNow().UtcDateTime;

    private static TrialAttempts Attempts(int retries = 2, int maxLost = 1) => new(retries, maxLost, TimeSpan.FromSeconds(2));

    [Fact]
    public void Only_the_current_running_attempt_passes_the_fence()
    {
        var attempts = Attempts();
        attempts.Load(TrialState.Pending, 0, null);
        Assert.False(attempts.IsCurrent(0));

        attempts.Begin(1, "a", resumeFrom: null);
        attempts.Requeued();
        attempts.Begin(2, "b", resumeFrom: 4);

        Assert.True(attempts.IsCurrent(2));
        Assert.False(attempts.IsCurrent(1));
        Assert.True(attempts.IsRunningOn("b"));
        Assert.False(attempts.IsRunningOn("a"));

        attempts.Finished(TrialState.Completed);
        Assert.False(attempts.IsCurrent(2));
        Assert.False(attempts.IsRunningOn("b"));
    }

    [Fact]
    public void A_requeued_trial_has_no_worker_and_no_current_attempt()
    {
        var attempts = Attempts();
        attempts.Begin(1, "a", null);

        attempts.Requeued();

        Assert.Equal(TrialState.Pending, attempts.State);
        Assert.Null(attempts.Worker);
        Assert.False(attempts.IsCurrent(1));
    }

    [Fact]
    public void Attempts_are_spent_after_the_retries_and_the_lost_workers_allowed()
    {
        var attempts = Attempts(retries: 2, maxLost: 1);
        Assert.Equal(4, attempts.MaxAttempts);

        attempts.Load(TrialState.Pending, 3, null);
        Assert.False(attempts.AttemptsSpent);
        attempts.Load(TrialState.Pending, 4, null);
        Assert.True(attempts.AttemptsSpent);
        // A final trial is not failed again.
        attempts.Load(TrialState.Completed, 4, null);
        Assert.False(attempts.AttemptsSpent);
    }

    [Fact]
    public void Failures_back_off_doubling_until_the_retries_are_spent()
    {
        var attempts = Attempts(retries: 2);

        Assert.Equal(Now + TimeSpan.FromSeconds(2), attempts.Failed(Now));
        _clock.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(Now + TimeSpan.FromSeconds(4), attempts.Failed(Now));
        Assert.Null(attempts.Failed(Now));
        Assert.Equal(3, attempts.Failures);
    }

    [Fact]
    public void Failures_survive_a_reload_of_the_stored_state()
    {
        var attempts = Attempts(retries: 1);
        Assert.NotNull(attempts.Failed(Now));

        attempts.Load(TrialState.Running, 2, "a");

        Assert.Null(attempts.Failed(Now));
    }

    [Fact]
    public void Epochs_are_placed_against_the_next_expected_one()
    {
        var attempts = Attempts();
        attempts.Begin(2, "a", resumeFrom: 4);
        Assert.Equal(5, attempts.NextEpoch);

        Assert.Equal(EpochOrder.Repeated, attempts.Order(4));
        Assert.Equal(EpochOrder.Hole, attempts.Order(6));
        Assert.Equal(EpochOrder.Next, attempts.Order(5));
        attempts.Recorded(5);
        Assert.Equal(EpochOrder.Next, attempts.Order(6));
    }

    [Fact]
    public void A_reactivated_attempt_learns_its_next_epoch_from_what_was_recorded()
    {
        var attempts = Attempts();
        attempts.Load(TrialState.Running, 1, "a");
        Assert.Null(attempts.NextEpoch);
        Assert.Throws<InvalidOperationException>(() => attempts.Order(1));

        attempts.ResumeAfter(3);

        Assert.Equal(EpochOrder.Next, attempts.Order(4));
        Assert.Equal(EpochOrder.Repeated, attempts.Order(3));
    }
}
