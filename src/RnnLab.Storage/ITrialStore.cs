namespace RnnLab.Storage;

/// <summary>Trials: creation, leases, and their final outcome recorded once.</summary>
/// <remarks>
/// On PostgreSQL the lease and finish writes of concurrent callers are grouped into one round trip and one
/// transaction; calling them concurrently (not one after another) is what makes many trials cheap.
/// </remarks>
public interface ITrialStore
{
    Task<TrialRecord> AddAsync(NewTrial trial, CancellationToken cancellationToken = default);

    /// <summary>
    /// Creates many trials in one round trip and one transaction: all of them or none (a number already used in
    /// the sweep fails the whole list with a <see cref="StorageConflictException"/>). The
    /// records come back in the order of <paramref name="trials"/>; an empty list writes nothing.
    /// </summary>
    Task<IReadOnlyList<TrialRecord>> AddRangeAsync(IReadOnlyList<NewTrial> trials, CancellationToken cancellationToken = default);

    Task<TrialRecord?> GetAsync(Guid trialId, CancellationToken cancellationToken = default);

    /// <summary>A sweep's trials ordered by number, optionally only those in one state.</summary>
    Task<IReadOnlyList<TrialRecord>> ListAsync(Guid sweepId, TrialState? state = null, CancellationToken cancellationToken = default);

    /// <summary>One page of a sweep's trials that pass the filter, in its order, and how many pass in all.</summary>
    Task<TrialPage> PageAsync(Guid sweepId, TrialFilter filter, int skip, int take, CancellationToken cancellationToken = default);

    /// <summary>
    /// The trials that pass the filter and follow <paramref name="after"/> in the filter's order (from the first when
    /// it is null), at most <paramref name="take"/>. The database seeks to the key in an index instead of skipping
    /// rows, so a page deep in a sweep costs what the first one does.
    /// </summary>
    Task<TrialSeekPage> SeekAsync(Guid sweepId, TrialFilter filter, TrialKey? after, int take, CancellationToken cancellationToken = default);

    /// <summary>How many of the sweep's trials pass the filter (its order plays no part).</summary>
    Task<int> CountAsync(Guid sweepId, TrialFilter filter, CancellationToken cancellationToken = default);

    /// <summary>The sweep's trials counted by state, with the extreme finite objectives (no trial is loaded).</summary>
    Task<TrialTally> TallyAsync(Guid sweepId, CancellationToken cancellationToken = default);

    /// <summary>The tallies of several sweeps in one query; a sweep without trials is missing from the result.</summary>
    Task<IReadOnlyDictionary<Guid, TrialTally>> TallyAsync(IReadOnlyCollection<Guid> sweepIds, CancellationToken cancellationToken = default);

    /// <summary>Every Pending or Running trial of every sweep not yet final (what a restarted scheduler re-adopts).</summary>
    Task<IReadOnlyList<TrialRecord>> ListActiveAsync(CancellationToken cancellationToken = default);

    /// <summary>The finished trials with an objective, best (lowest, or highest) first.</summary>
    Task<IReadOnlyList<TrialRecord>> ListBestAsync(Guid sweepId, int count, bool higherIsBetter = false, CancellationToken cancellationToken = default);

    /// <summary>
    /// Marks a trial as running attempt <paramref name="attempt"/> on a worker under a lease. False, changing
    /// nothing, when the trial is already final or its stored attempt is already at least
    /// <paramref name="attempt"/>: a stale or repeated start never moves a trial backwards.
    /// </summary>
    Task<bool> MarkRunningAsync(Guid trialId, int attempt, string worker, DateTime leaseExpiresAt, int? resumedFromEpoch, DateTime startedAt, CancellationToken cancellationToken = default);

    /// <summary>Puts a non-final trial back in the queue (lost lease, retry); false when it is already final.</summary>
    Task<bool> RequeueAsync(Guid trialId, string? error, CancellationToken cancellationToken = default);

    /// <summary>Records the final outcome; true only for the call that moved the trial into a final state.</summary>
    Task<bool> TryFinishAsync(Guid trialId, TrialOutcome outcome, CancellationToken cancellationToken = default);

    /// <summary>Makes a finished trial pending again, its outcome cleared (a retry on request); false when it is not final.</summary>
    Task<bool> ReopenAsync(Guid trialId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Writes the trial's last metric points and records the final outcome in one transaction (one round trip on
    /// PostgreSQL). The points are written whether or not the outcome is recorded, as if appended first; every
    /// point must be named and belong to <paramref name="trialId"/>. True only for the call that moved the trial
    /// into a final state.
    /// </summary>
    Task<bool> TryFinishAsync(Guid trialId, TrialOutcome outcome, IReadOnlyList<MetricPoint> finalPoints, CancellationToken cancellationToken = default);
}
