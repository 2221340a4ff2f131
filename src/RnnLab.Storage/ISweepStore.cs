namespace RnnLab.Storage;

/// <summary>Sweeps and their numbered progress events.</summary>
public interface ISweepStore
{
    /// <summary>Creates a sweep, or returns the existing one when its idempotency key was seen before.</summary>
    Task<(SweepRecord Sweep, bool Created)> CreateAsync(NewSweep sweep, CancellationToken cancellationToken = default);

    Task<SweepRecord?> GetAsync(Guid sweepId, CancellationToken cancellationToken = default);

    /// <summary>Sweeps not yet in a final state, oldest first (resumed after a restart).</summary>
    Task<IReadOnlyList<SweepRecord>> ListUnfinishedAsync(CancellationToken cancellationToken = default);

    /// <summary>Sweeps in a final state that finished at or after <paramref name="since"/> (UTC), in the order they finished.</summary>
    Task<IReadOnlyList<SweepRecord>> ListFinishedSinceAsync(DateTime since, CancellationToken cancellationToken = default);

    /// <summary>One page of sweeps, newest first; only those in <paramref name="states"/> unless it is empty.</summary>
    Task<SweepPage> ListAsync(IReadOnlyCollection<SweepState> states, int skip, int take, CancellationToken cancellationToken = default);

    /// <summary>Adds trials to the sweep's budget beyond its spec's (ExtendSweep); returns the new extra count.</summary>
    Task<int> AddTrialsAsync(Guid sweepId, int trials, CancellationToken cancellationToken = default);

    Task SetStateAsync(Guid sweepId, SweepState state, DateTime? finishedAt, CancellationToken cancellationToken = default);

    /// <summary>
    /// Appends events whose sequence numbers the caller assigned, all or none; a number used twice is an error
    /// (<see cref="StorageConflictException"/>). On PostgreSQL concurrent appends share a round trip.
    /// </summary>
    Task AppendEventsAsync(IReadOnlyList<SweepEventRecord> events, CancellationToken cancellationToken = default);

    /// <summary>Events with a sequence number greater than <paramref name="afterSequence"/>, in order.</summary>
    Task<IReadOnlyList<SweepEventRecord>> ReadEventsAsync(Guid sweepId, long afterSequence, int maxCount, CancellationToken cancellationToken = default);

    /// <summary>The highest event number of the sweep, 0 when it has none.</summary>
    Task<long> LastEventSequenceAsync(Guid sweepId, CancellationToken cancellationToken = default);
}
