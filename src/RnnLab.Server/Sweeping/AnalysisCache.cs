using RnnLab.Sweeps.Trials;
using Microsoft.Extensions.Caching.Memory;
using RnnLab.Storage;

namespace RnnLab.Server.Sweeping;

/// <summary>
/// Keeps computed analyses per sweep and trial counts: fANOVA on a large sweep costs seconds, and a finished sweep's
/// analysis never changes. A new trial or a trial reaching a final state makes a new key.
/// </summary>
public sealed class AnalysisCache
{
    private readonly MemoryCache _cache = new(new MemoryCacheOptions { SizeLimit = 256 });

    public T GetOrAdd<T>(SweepRecord sweep, IReadOnlyList<TrialRecord> trials, string variant, Func<T> compute)
        where T : class
    {
        var finished = trials.Count(t => t.State is not (TrialState.Pending or TrialState.Running));
        var key = (sweep.Id, sweep.State, trials.Count, finished, variant, typeof(T));
        return _cache.GetOrCreate(key, entry =>
        {
            entry.Size = 1;
            entry.SlidingExpiration = TimeSpan.FromMinutes(30);
            return compute();
        })!;
    }

    /// <summary>Whether a result of this variant is kept for the sweep in its present state and counts.</summary>
    public bool Holds<T>(SweepRecord sweep, TrialTally tally, string variant)
    {
        var finished = tally.Total - tally[TrialState.Pending] - tally[TrialState.Running];
        return _cache.TryGetValue((sweep.Id, sweep.State, tally.Total, finished, variant, typeof(Task<T>)), out _);
    }

    /// <summary>
    /// The same, keyed by the trial counts of a tally, so a cached result needs no read of the trials themselves.
    /// Callers asking at once share one computation; a failed one is forgotten, so the next caller tries again.
    /// </summary>
    public async Task<T> GetOrAddAsync<T>(SweepRecord sweep, TrialTally tally, string variant, Func<Task<T>> compute)
        where T : class
    {
        var finished = tally.Total - tally[TrialState.Pending] - tally[TrialState.Running];
        var key = (sweep.Id, sweep.State, tally.Total, finished, variant, typeof(Task<T>));
        var shared = _cache.GetOrCreate(key, entry =>
        {
            entry.Size = 1;
            entry.SlidingExpiration = TimeSpan.FromMinutes(30);
            return new Lazy<Task<T>>(compute, LazyThreadSafetyMode.ExecutionAndPublication);
        })!;
        try
        {
            return await shared.Value;
        }
        catch
        {
            _cache.Remove(key);
            throw;
        }
    }
}
