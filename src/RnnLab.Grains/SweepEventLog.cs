using RnnLab.Storage;

namespace RnnLab.Grains;

/// <summary>
/// A sweep's numbered events: numbers are handed out in memory and written behind in batches; only written
/// events are shown to subscribers, so a number a subscriber saw is never reused after a crash.
/// </summary>
internal sealed class SweepEventLog(Guid sweepId, ISweepStore store, TimeProvider time, Action<Exception>? logger = null)
{
    private Task? _writing;
    private const int MemoryLimit = 50_000;
    private readonly List<SweepEvent> _memory = [];
    private readonly List<SweepEvent> _unwritten = [];
    private TaskCompletionSource _written = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public long LastSequence { get; private set; }

    public long WrittenSequence { get; private set; }

    public async Task LoadAsync()
    {
        LastSequence = await store.LastEventSequenceAsync(sweepId);
        WrittenSequence = LastSequence;
    }

    public SweepEvent Add(string kind, int? trial = null, int? epoch = null, double? value = null,
        Sweeps.Trials.TrialState? trialState = null, SweepState? sweepState = null, string? detail = null)
    {
        var e = new SweepEvent(sweepId, ++LastSequence, kind, time.GetUtcNow().UtcDateTime, trial, epoch,
            value is { } v && double.IsFinite(v) ? v : null, trialState, sweepState, detail);
        _unwritten.Add(e);
        return e;
    }

    /// <summary>Waits until every event added so far is written.</summary>
    public async Task FlushAsync()
    {
        while (_unwritten.Count > 0 || _writing is { IsCompleted: false })
        {
            WriteBehind();
            await _writing!;
        }
    }

    /// <summary>
    /// Starts writing in the background (on the grain's scheduler) if no write is under way: events that arrive
    /// during one write go out together in the next, so a busy sweep writes a batch per round trip, not per event.
    /// All of this runs on the grain's single-threaded scheduler, so one writer at most exists at a time.
    /// </summary>
    public void WriteBehind()
    {
        if (_writing is null or { IsCompleted: true } && _unwritten.Count > 0)
        {
            _writing = WriteBehindAsync();
        }
    }

    private async Task WriteBehindAsync()
    {
        while (_unwritten.Count > 0)
        {
            var batch = _unwritten.ToList();
            _unwritten.Clear();
            try
            {
                await store.AppendEventsAsync(batch.ConvertAll(SweepEventCodec.ToRecord));
            }
            catch (Exception ex)
            {
                // Keep the numbers: put the batch back in front and try again shortly.
                _unwritten.InsertRange(0, batch);
                logger?.Invoke(ex);
                await Task.Delay(TimeSpan.FromMilliseconds(200));
                continue;
            }

            _memory.AddRange(batch);
            if (_memory.Count > MemoryLimit)
            {
                _memory.RemoveRange(0, _memory.Count - MemoryLimit);
            }

            WrittenSequence = batch[^1].Sequence;
            var signal = _written;
            _written = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            signal.TrySetResult();
        }
    }

    /// <summary>Written events after <paramref name="afterSequence"/>, waiting up to <paramref name="maxWait"/> for one.</summary>
    public async Task<IReadOnlyList<SweepEvent>> ReadAsync(long afterSequence, int maxCount, TimeSpan maxWait)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxCount);
        if (afterSequence >= WrittenSequence && maxWait > TimeSpan.Zero)
        {
            var signal = _written.Task;
            await Task.WhenAny(signal, Task.Delay(maxWait));
        }

        if (afterSequence >= WrittenSequence)
        {
            return [];
        }

        var firstInMemory = _memory.Count > 0 ? _memory[0].Sequence : long.MaxValue;
        if (afterSequence + 1 >= firstInMemory)
        {
            var start = (int)(afterSequence + 1 - firstInMemory);
            return _memory.Skip(start).Take(maxCount).ToList();
        }

        var stored = await store.ReadEventsAsync(sweepId, afterSequence, maxCount);
        return stored.Select(SweepEventCodec.FromRecord).Where(e => e.Sequence <= WrittenSequence).ToList();
    }

    public async Task<IReadOnlyList<SweepEvent>> ReadAllStoredAsync()
    {
        var result = new List<SweepEvent>();
        long after = 0;
        while (true)
        {
            var page = await store.ReadEventsAsync(sweepId, after, 5000);
            if (page.Count == 0)
            {
                return result;
            }

            result.AddRange(page.Select(SweepEventCodec.FromRecord));
            after = page[^1].Sequence;
        }
    }
}
