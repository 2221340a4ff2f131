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
        return _cache.GetOrCreate(Key(sweep, trials.Count, finished, variant, typeof(T)), entry =>
        {
            entry.Size = 1;
            entry.SlidingExpiration = TimeSpan.FromMinutes(30);
            return compute();
        })!;
    }

    /// <summary>
    /// The same, keyed by the trial counts of a tally, so a cached result needs no read of the trials themselves.
    /// Callers asking at once share one computation; a failed one is forgotten, so the next caller tries again.
    /// </summary>
    public async Task<T> GetOrAddAsync<T>(SweepRecord sweep, TrialTally tally, string variant, Func<Task<T>> compute)
        where T : class
    {
        var key = Key(sweep, tally, variant, typeof(Task<T>));
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

    /// <summary>Whether a result of this variant has been computed and is kept for the sweep in its present state and counts.</summary>
    public bool Holds<T>(SweepRecord sweep, TrialTally tally, string variant) =>
        _cache.TryGetValue(Key(sweep, tally, variant, typeof(Task<T>)), out Lazy<Task<T>>? shared)
        && shared is { IsValueCreated: true, Value.IsCompletedSuccessfully: true };

    private static object Key(SweepRecord sweep, TrialTally tally, string variant, Type result) =>
        Key(sweep, tally.Total, tally.Total - tally[TrialState.Pending] - tally[TrialState.Running], variant, result);

    /// <summary>A result belongs to the sweep in one state with so many trials, so many of them final.</summary>
    private static object Key(SweepRecord sweep, int trials, int finished, string variant, Type result) =>
        (sweep.Id, sweep.State, trials, finished, variant, result);
}
