using System.Diagnostics;

namespace RnnLab.Grains.Workers;

/// <summary>
/// Per-silo accounting of slot time: time spent running trials, and the gaps on a slot between one trial
/// ending and the next one starting (the scheduling overhead a slot sees).
/// </summary>
public sealed class SlotUsage
{
    private readonly object _lock = new();
    private long _busyTicks;
    private long _gapTicks;
    private long _trials;

    public TimeSpan Busy { get { lock (_lock) { return Stopwatch.GetElapsedTime(0, _busyTicks); } } }

    public TimeSpan Gaps { get { lock (_lock) { return Stopwatch.GetElapsedTime(0, _gapTicks); } } }

    public long Trials { get { lock (_lock) { return _trials; } } }

    /// <summary>Gap time as a fraction of trial time.</summary>
    public double IdleFraction { get { lock (_lock) { return _busyTicks == 0 ? 0 : (double)_gapTicks / _busyTicks; } } }

    public void Reset()
    {
        lock (_lock)
        {
            _busyTicks = _gapTicks = _trials = 0;
        }
    }

    internal void Record(long gapTicks, long busyTicks)
    {
        lock (_lock)
        {
            _gapTicks += gapTicks;
            _busyTicks += busyTicks;
            _trials++;
        }
    }
}
