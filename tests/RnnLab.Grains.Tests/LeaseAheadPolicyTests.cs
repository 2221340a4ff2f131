using Microsoft.Extensions.Time.Testing;
using RnnLab.Grains.Workers;

namespace RnnLab.Grains.Tests;

/// <summary>The worker's lease-ahead decision, timed on a fake clock.</summary>
public sealed class LeaseAheadPolicyTests
{
    private readonly FakeTimeProvider _clock = new();
    private readonly LeaseAheadPolicy _policy;

    public LeaseAheadPolicyTests() => _policy = new LeaseAheadPolicy(_clock);

    private static readonly Guid SweepA = Guid.NewGuid();
    private static readonly Guid SweepB = Guid.NewGuid();

    private void Run(Guid sweep, TimeSpan duration)
    {
        var begin = _policy.Timestamp();
        _clock.Advance(duration);
        _policy.TrialRan(sweep, _policy.Since(begin));
    }

    private void Start(TimeSpan duration)
    {
        var asked = _policy.Timestamp();
        _clock.Advance(duration);
        _policy.Started(_policy.Since(asked));
    }

    [Fact]
    public void Before_any_trial_ran_a_worker_leases_only_for_its_idle_slots()
    {
        Assert.False(_policy.TrialsAreShort);
        Assert.Equal(3, _policy.Target(_policy.TrialsAreShort, slots: 8, idleSlots: 3));
        Assert.False(_policy.SweepIsShort(SweepA));
    }

    [Fact]
    public void Short_trials_make_it_lease_ahead_and_long_ones_stop_it()
    {
        Run(SweepA, TimeSpan.FromMilliseconds(100));
        Assert.True(_policy.TrialsAreShort);
        Assert.True(_policy.SweepIsShort(SweepA));
        Assert.Equal(2 * 8, _policy.Target(true, slots: 8, idleSlots: 0));

        // One long trial moves the average by an eighth: many are needed to make trials long again.
        Run(SweepB, TimeSpan.FromSeconds(5));
        Assert.True(_policy.TrialsAreShort);
        Assert.False(_policy.SweepIsShort(SweepB));
        for (var i = 0; i < 20; i++)
        {
            Run(SweepB, TimeSpan.FromSeconds(5));
        }

        Assert.False(_policy.TrialsAreShort);
        Assert.True(_policy.SweepIsShort(SweepA));
    }

    [Fact]
    public void Enough_trials_are_started_ahead_to_cover_a_start_within_the_cap()
    {
        Run(SweepA, TimeSpan.FromMilliseconds(10));
        Start(TimeSpan.FromMilliseconds(35));
        // 35 ms to start a 10 ms trial: three trials cover it, plus two.
        Assert.Equal(5, _policy.AheadPerSlot());

        Start(TimeSpan.FromSeconds(10));
        Assert.Equal(LeaseAheadPolicy.MaxAheadPerSlot, _policy.AheadPerSlot());
    }

    [Fact]
    public void Past_its_memory_the_policy_forgets_what_it_knew_of_sweeps()
    {
        Run(SweepA, TimeSpan.FromMilliseconds(10));
        for (var i = 1; i < LeaseAheadPolicy.MaxSweepsRemembered; i++)
        {
            Run(Guid.NewGuid(), TimeSpan.FromMilliseconds(10));
        }

        Assert.True(_policy.SweepIsShort(SweepA));
        Run(Guid.NewGuid(), TimeSpan.FromMilliseconds(10));
        Assert.False(_policy.SweepIsShort(SweepA));
    }
}
