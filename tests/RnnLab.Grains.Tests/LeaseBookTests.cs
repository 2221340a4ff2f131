using Microsoft.Extensions.Time.Testing;
using RnnLab.Grains.Scheduling;

namespace RnnLab.Grains.Tests;

/// <summary>The scheduler's pure bookkeeping on a fake clock: fair share, back-off, renewal, expiry and forgetting.</summary>
public sealed class LeaseBookTests
{
    private static readonly TimeSpan Duration = TimeSpan.FromSeconds(30);
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private readonly LeaseBook _book = new(Duration);

    private DateTime Now => _clock.GetUtcNow().UtcDateTime;

    private static Guid Sweep(int n) => new(n, 0, 0, [0, 0, 0, 0, 0, 0, 0, 0]);

    private static List<QueuedTrial> Trials(int sweep, int count, DateTime? notBefore = null) =>
        Enumerable.Range(0, count).Select(i => new QueuedTrial(new Guid(sweep, (short)i, 1, [0, 0, 0, 0, 0, 0, 0, 0]), i, notBefore)).ToList();

    [Fact]
    public void Concurrent_sweeps_take_turns()
    {
        _book.Enqueue(Sweep(1), Trials(1, 4));
        _book.Enqueue(Sweep(2), Trials(2, 4));

        var granted = _book.Grant("w", null, 6, Now);

        Assert.Equal(6, granted.Count);
        Assert.Equal(3, granted.Count(a => a.SweepId == Sweep(1)));
        Assert.Equal(3, granted.Count(a => a.SweepId == Sweep(2)));
        // Each sweep's trials go out in queue order.
        Assert.Equal([0, 1, 2], granted.Where(a => a.SweepId == Sweep(1)).Select(a => a.Number));
        Assert.Equal(2, _book.Queued);
        Assert.Equal(6, _book.Leased);
        Assert.Equal(6, _book.Granted);
    }

    [Fact]
    public void The_sweep_with_fewest_leased_trials_goes_first()
    {
        _book.Enqueue(Sweep(1), Trials(1, 6));
        _book.Grant("w", null, 3, Now);
        _book.Enqueue(Sweep(2), Trials(2, 6));

        var next = _book.Grant("w", null, 4, Now);

        // Sweep 2 catches up to sweep 1's three leases before they alternate again.
        Assert.Equal([Sweep(2), Sweep(2), Sweep(2)], next.Take(3).Select(a => a.SweepId));
        Assert.Equal(Duration, next[0].LeaseDuration);
    }

    [Fact]
    public void A_trial_in_back_off_waits_and_does_not_block_other_sweeps()
    {
        _book.Enqueue(Sweep(1), Trials(1, 1, notBefore: Now + TimeSpan.FromSeconds(5)));
        _book.Enqueue(Sweep(2), Trials(2, 1));

        var first = _book.Grant("w", null, 2, Now);
        Assert.Equal([Sweep(2)], first.Select(a => a.SweepId));
        Assert.Empty(_book.Grant("w", null, 1, Now));

        _clock.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal([Sweep(1)], _book.Grant("w", null, 1, Now).Select(a => a.SweepId));
    }

    [Fact]
    public void A_lease_renewed_in_time_stays_and_one_not_renewed_expires()
    {
        _book.Enqueue(Sweep(1), Trials(1, 2));
        var granted = _book.Grant("w", null, 2, Now);

        _clock.Advance(Duration / 2);
        Assert.Empty(_book.Renew("w", [granted[0].TrialId], Now));
        _clock.Advance(Duration / 2);
        Assert.Empty(_book.Expire(Now - TimeSpan.FromTicks(1), _ => false));

        var lost = _book.Expire(Now, _ => false);

        Assert.Equal([granted[1].TrialId], lost.Select(l => l.TrialId));
        Assert.False(lost[0].SiloDead);
        Assert.Contains("expired", lost[0].Reason);
        Assert.Equal(1, _book.Leased);
        Assert.Equal(1, _book.Lost);
        // A worker heartbeating a lease it lost is told to cancel it.
        Assert.Equal([granted[1].TrialId], _book.Renew("w", [granted[0].TrialId, granted[1].TrialId], Now));
    }

    [Fact]
    public void A_dead_silo_loses_its_leases_before_they_expire()
    {
        _book.Enqueue(Sweep(1), Trials(1, 2));
        _book.Grant("a", "silo-a", 1, Now);
        _book.Grant("b", "silo-b", 1, Now);

        var lost = _book.Expire(Now, silo => silo == "silo-a");

        Assert.Equal("a", Assert.Single(lost).Worker);
        Assert.True(lost[0].SiloDead);
        Assert.Equal(1, _book.Leased);
    }

    [Fact]
    public void Only_the_holder_releases_a_lease_and_a_released_sweep_is_forgotten()
    {
        _book.Enqueue(Sweep(1), Trials(1, 1));
        var trial = Assert.Single(_book.Grant("a", null, 1, Now)).TrialId;

        Assert.False(_book.Release(trial, "b"));
        Assert.Equal(1, _book.Sweeps);
        Assert.True(_book.Release(trial, "a"));

        Assert.Equal(0, _book.Leased);
        Assert.Equal(0, _book.Sweeps);
    }

    [Fact]
    public void Returned_and_ungranted_trials_go_back_to_the_front_in_order()
    {
        _book.Enqueue(Sweep(1), Trials(1, 4));
        var granted = _book.Grant("w", null, 2, Now);

        _book.Return("w", granted.Select(a => a.TrialId).ToList());
        var again = _book.Grant("w", null, 3, Now);
        Assert.Equal([0, 1, 2], again.Select(a => a.Number));

        _book.Ungrant(again);
        Assert.Equal(2, _book.Granted);
        Assert.Equal([0, 1, 2, 3], _book.Grant("w", null, 4, Now).Select(a => a.Number));
    }

    [Fact]
    public void A_trial_already_queued_or_leased_is_not_queued_twice()
    {
        var trials = Trials(1, 2);
        _book.Enqueue(Sweep(1), trials);
        var leased = Assert.Single(_book.Grant("w", null, 1, Now));

        _book.Enqueue(Sweep(1), trials);

        Assert.Equal(1, _book.Queued);
        Assert.NotEqual(leased.TrialId, Assert.Single(_book.Grant("w", null, 5, Now)).TrialId);
    }

    [Fact]
    public void A_cancelled_sweep_loses_its_queue_its_leases_are_told_to_cancel_and_it_takes_nothing_until_readmitted()
    {
        _book.Enqueue(Sweep(1), Trials(1, 3));
        var leased = Assert.Single(_book.Grant("w", null, 1, Now));

        _book.Withdraw(Sweep(1), cancelRunning: true);

        Assert.Equal(0, _book.Queued);
        Assert.Equal([leased.TrialId], _book.Renew("w", [leased.TrialId], Now));
        _book.Enqueue(Sweep(1), Trials(1, 3));
        Assert.Equal(0, _book.Queued);

        _book.Readmit(Sweep(1));
        _book.Enqueue(Sweep(1), Trials(1, 3));
        Assert.Equal(2, _book.Queued);
    }

    [Fact]
    public void A_paused_sweep_loses_its_queue_but_its_leases_run_on()
    {
        _book.Enqueue(Sweep(1), Trials(1, 3));
        var leased = Assert.Single(_book.Grant("w", null, 1, Now));

        _book.Withdraw(Sweep(1), cancelRunning: false);

        Assert.Equal(0, _book.Queued);
        Assert.Empty(_book.Renew("w", [leased.TrialId], Now));
    }

    [Fact]
    public void A_worker_is_forgotten_once_it_holds_no_lease_and_stopped_asking()
    {
        _book.Enqueue(Sweep(1), Trials(1, 1));
        var trial = Assert.Single(_book.Grant("busy", null, 1, Now)).TrialId;
        _book.Grant("idle", null, 1, Now);
        Assert.Equal(2, _book.Workers);

        _clock.Advance(_book.WorkerMemory + TimeSpan.FromSeconds(1));
        _book.Renew("busy", [trial], Now);
        _book.Expire(Now, _ => false);
        Assert.Equal(1, _book.Workers);

        _book.Release(trial, "busy");
        _clock.Advance(_book.WorkerMemory + TimeSpan.FromSeconds(1));
        _book.Expire(Now, _ => false);
        Assert.Equal(0, _book.Workers);
    }

    [Fact]
    public void An_adopted_lease_expires_unless_its_worker_checks_in()
    {
        var trial = Trials(1, 2);
        _book.Adopt(Sweep(1), trial[0], "old", null, Now + Duration);
        _book.Adopt(Sweep(1), trial[1], "old", null, Now + Duration);
        _clock.Advance(Duration / 2);
        _book.Renew("old", [trial[0].TrialId], Now);

        _clock.Advance(Duration / 2);
        var lost = _book.Expire(Now, _ => false);

        Assert.Equal([trial[1].TrialId], lost.Select(l => l.TrialId));
        Assert.Equal(1, _book.Leased);
    }
}
