namespace RnnLab.Storage;

/// <summary>Training-state snapshots of trials; only the latest one per trial is kept.</summary>
public interface ICheckpointStore
{
    Task SaveAsync(Guid trialId, int epoch, byte[] bytes, CancellationToken cancellationToken = default);

    /// <summary>
    /// Saves a checkpoint of one attempt, only while that attempt is the trial's running one; false otherwise (a
    /// worker that lost its lease must not leave a snapshot past the epochs the next attempt recorded). The check
    /// and the write are one transaction that holds the trial's row, so the next attempt starts after it or not at all.
    /// </summary>
    Task<bool> SaveAsync(Guid trialId, int attempt, int epoch, byte[] bytes, CancellationToken cancellationToken = default);

    Task<CheckpointRecord?> GetLatestAsync(Guid trialId, CancellationToken cancellationToken = default);

    /// <summary>The epoch of the latest checkpoint without loading it; null when there is none.</summary>
    Task<int?> GetLatestEpochAsync(Guid trialId, CancellationToken cancellationToken = default);
}
