using System.Collections.Concurrent;

namespace RnnLab.Grains.Workers;

/// <summary>
/// How far a worker leases ahead, from what its trials took. While trials are short, a few per slot are leased
/// ahead, and those of sweeps whose trials here were short are started ahead too, so a slot never waits for the
/// platform between short trials; with long trials a slot leases only when it is free, and a trial not known to
/// be short is started by the slot that runs it. Thread-safe: slots record, the feeder decides.
/// </summary>
internal sealed class LeaseAheadPolicy(TimeProvider time)
{
    /// <summary>Trials shorter than this on average are short: their hand-off would cost a noticeable share of slot time.</summary>
    public static readonly TimeSpan ShortTrial = TimeSpan.FromSeconds(1);

    /// <summary>At most this many trials per slot are started ahead, however short they are.</summary>
    public const int MaxAheadPerSlot = 16;

    /// <summary>Sweeps whose trial times are remembered; more are forgotten, oldest knowledge first.</summary>
    public const int MaxSweepsRemembered = 256;

    // Exponential averages of recent trial times and of the time to start one, in ticks; -1 until known.
    private long _averageTicks = -1;
    private long _averageStartTicks = -1;

    // The same per sweep: only trials of sweeps whose recent trials here were short are started ahead, so a long
    // trial never waits marked running behind another.
    private readonly ConcurrentDictionary<Guid, long> _sweepAverages = new();

    /// <summary>A timestamp to measure a trial or a start from.</summary>
    public long Timestamp() => time.GetTimestamp();

    /// <summary>The time since <paramref name="timestamp"/>.</summary>
    public TimeSpan Since(long timestamp) => time.GetElapsedTime(timestamp);

    public bool TrialsAreShort
    {
        get
        {
            var average = Interlocked.Read(ref _averageTicks);
            return average >= 0 && TimeSpan.FromTicks(average) < ShortTrial;
        }
    }

    /// <summary>How many trials should wait leased: one per idle slot, or, leasing <paramref name="ahead"/>, enough per slot to cover a start.</summary>
    public int Target(bool ahead, int slots, int idleSlots) => ahead ? AheadPerSlot() * slots : idleSlots;

    /// <summary>Whether the recent trials of <paramref name="sweepId"/> here were short: while leasing ahead, its trials are started at once.</summary>
    public bool SweepIsShort(Guid sweepId) =>
        _sweepAverages.TryGetValue(sweepId, out var ticks) && TimeSpan.FromTicks(ticks) < ShortTrial;

    /// <summary>Trials per slot to start ahead: enough to cover the time one takes to start, plus one.</summary>
    public int AheadPerSlot()
    {
        var trial = Math.Max(1, Interlocked.Read(ref _averageTicks));
        var start = Math.Max(0, Interlocked.Read(ref _averageStartTicks));
        return (int)Math.Clamp(start / trial + 2, 2, MaxAheadPerSlot);
    }

    /// <summary>A trial of <paramref name="sweepId"/> ran for <paramref name="duration"/> on a slot.</summary>
    public void TrialRan(Guid sweepId, TimeSpan duration)
    {
        Average(ref _averageTicks, duration.Ticks);
        if (_sweepAverages.Count >= MaxSweepsRemembered && !_sweepAverages.ContainsKey(sweepId))
        {
            _sweepAverages.Clear();
        }

        _sweepAverages.AddOrUpdate(sweepId, duration.Ticks, (_, old) => (old * 7 + duration.Ticks) / 8);
    }

    /// <summary>Starting a trial's attempt took <paramref name="duration"/>.</summary>
    public void Started(TimeSpan duration) => Average(ref _averageStartTicks, duration.Ticks);

    private static void Average(ref long average, long sample)
    {
        var old = Interlocked.Read(ref average);
        Interlocked.Exchange(ref average, old < 0 ? sample : (old * 7 + sample) / 8);
    }
}
