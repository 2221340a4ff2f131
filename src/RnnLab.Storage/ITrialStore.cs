namespace RnnLab.Storage;

/// <summary>Trials: creation, leases, and their final outcome recorded once.</summary>
public interface ITrialStore
{
    Task<TrialRecord> AddAsync(NewTrial trial, CancellationToken cancellationToken = default);

    Task<TrialRecord?> GetAsync(Guid trialId, CancellationToken cancellationToken = default);

    /// <summary>A sweep's trials ordered by number, optionally only those in one state.</summary>
    Task<IReadOnlyList<TrialRecord>> ListAsync(Guid sweepId, TrialState? state = null, CancellationToken cancellationToken = default);

    /// <summary>Every Pending or Running trial of every sweep not yet final (what a restarted scheduler re-adopts).</summary>
    Task<IReadOnlyList<TrialRecord>> ListActiveAsync(CancellationToken cancellationToken = default);

    /// <summary>The finished trials with an objective, best (lowest, or highest) first.</summary>
    Task<IReadOnlyList<TrialRecord>> ListBestAsync(Guid sweepId, int count, bool higherIsBetter = false, CancellationToken cancellationToken = default);

    /// <summary>Marks a trial as running on a worker under a lease; false when it is already final.</summary>
    Task<bool> MarkRunningAsync(Guid trialId, int attempt, string worker, DateTime leaseExpiresAt, int? resumedFromEpoch, DateTime startedAt, CancellationToken cancellationToken = default);

    /// <summary>Puts a non-final trial back in the queue (lost lease, retry); false when it is already final.</summary>
    Task<bool> RequeueAsync(Guid trialId, string? error, CancellationToken cancellationToken = default);

    /// <summary>Records the final outcome; true only for the call that moved the trial into a final state.</summary>
    Task<bool> TryFinishAsync(Guid trialId, TrialOutcome outcome, CancellationToken cancellationToken = default);
}
