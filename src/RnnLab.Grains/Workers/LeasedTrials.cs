using System.Collections.Concurrent;
using System.Threading.Channels;

namespace RnnLab.Grains.Workers;

/// <summary>
/// Trials leased and waiting for a slot, handed from the feeder to the slots. Tracks the idle slots (the feeder
/// leases for them), the waiting trials not yet started (whose leases the heartbeat renews too), and those among
/// them the scheduler took back meanwhile, which a slot then skips.
/// </summary>
internal sealed class LeasedTrials
{
    private readonly Channel<PreparedTrial> _leased = Channel.CreateUnbounded<PreparedTrial>();
    private readonly ConcurrentDictionary<Guid, bool> _waitingUnstarted = new();
    private readonly ConcurrentDictionary<Guid, bool> _revoked = new();
    private readonly SemaphoreSlim _wantMore = new(0);
    private int _idleSlots;

    public int Count => _leased.Reader.Count;

    public int IdleSlots => Volatile.Read(ref _idleSlots);

    /// <summary>Waiting trials not started yet.</summary>
    public HashSet<Guid> WaitingUnstarted() => _waitingUnstarted.Keys.ToHashSet();

    public void Add(PreparedTrial prepared)
    {
        if (prepared.Start is null)
        {
            _waitingUnstarted[prepared.Assignment.TrialId] = true;
        }

        _leased.Writer.TryWrite(prepared);
    }

    /// <summary>The scheduler took back the lease of a trial waiting here unstarted.</summary>
    public void Revoke(Guid trialId) => _revoked[trialId] = true;

    /// <summary>Waits until a slot wants a trial, or <paramref name="timeout"/> passes.</summary>
    public Task WaitForDemandAsync(TimeSpan timeout, CancellationToken cancellationToken) => _wantMore.WaitAsync(timeout, cancellationToken);

    /// <summary>The next trial for a slot, blocking its thread; null when the worker stops.</summary>
    public PreparedTrial? TakeNext(CancellationToken stopping)
    {
        Interlocked.Increment(ref _idleSlots);
        _wantMore.Release();
        try
        {
            while (!stopping.IsCancellationRequested)
            {
                if (!_leased.Reader.TryRead(out var prepared))
                {
                    SlotWait.Until(_leased.Reader.WaitToReadAsync(stopping).AsTask());
                    continue;
                }

                _waitingUnstarted.TryRemove(prepared.Assignment.TrialId, out _);
                // A lease the scheduler took back while the trial waited here unstarted is no longer ours.
                if (prepared.Start is not null || !_revoked.TryRemove(prepared.Assignment.TrialId, out _))
                {
                    return prepared;
                }
            }

            return null;
        }
        catch (OperationCanceledException)
        {
            return null;
        }
        finally
        {
            Interlocked.Decrement(ref _idleSlots);
            _wantMore.Release();
        }
    }

    /// <summary>Everything still waiting, taken out (the worker stops).</summary>
    public List<PreparedTrial> TakeAll()
    {
        var all = new List<PreparedTrial>();
        while (_leased.Reader.TryRead(out var prepared))
        {
            all.Add(prepared);
        }

        return all;
    }
}
