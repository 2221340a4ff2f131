using System.Collections.Concurrent;

namespace RnnLab.Grains.Workers;

/// <summary>
/// The trials this worker runs or records, each with the cancellation of its run; their leases are the ones the
/// heartbeat renews. Only one run's entry goes when it ends: when the database was slow, the same trial can be
/// leased to this worker again while an earlier attempt's result is still being recorded.
/// </summary>
internal sealed class RunningTrials(CancellationToken stopping)
{
    private readonly ConcurrentDictionary<Guid, CancellationTokenSource> _running = new();

    public ICollection<Guid> Ids => _running.Keys;

    /// <summary>A new run of the trial, cancelled too when the worker stops.</summary>
    public CancellationTokenSource Begin(Guid trialId) =>
        _running[trialId] = CancellationTokenSource.CreateLinkedTokenSource(stopping);

    /// <summary>The run its start began; a run of an earlier attempt still recording is not taken away.</summary>
    public CancellationTokenSource Current(Guid trialId) =>
        _running.GetOrAdd(trialId, _ => CancellationTokenSource.CreateLinkedTokenSource(stopping));

    public bool TryGet(Guid trialId, out CancellationTokenSource run) => _running.TryGetValue(trialId, out run!);

    /// <summary>Ends whatever run of the trial is registered.</summary>
    public void Forget(Guid trialId)
    {
        if (_running.TryGetValue(trialId, out var run))
        {
            Forget(trialId, run);
        }
    }

    /// <summary>Ends this run of the trial only.</summary>
    public void Forget(Guid trialId, CancellationTokenSource run)
    {
        if (_running.TryRemove(KeyValuePair.Create(trialId, run)))
        {
            run.Dispose();
        }
    }

    public async Task CancelAllAsync()
    {
        foreach (var run in _running.Values)
        {
            try
            {
                await run.CancelAsync();
            }
            catch (ObjectDisposedException)
            {
                // That trial just ended.
            }
        }
    }
}
