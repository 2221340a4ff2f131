namespace RnnLab.Storage;

/// <summary>Training-state snapshots of trials; only the latest one per trial is kept.</summary>
public interface ICheckpointStore
{
    Task SaveAsync(Guid trialId, int epoch, byte[] bytes, CancellationToken cancellationToken = default);

    Task<CheckpointRecord?> GetLatestAsync(Guid trialId, CancellationToken cancellationToken = default);

    /// <summary>The epoch of the latest checkpoint without loading it; null when there is none.</summary>
    Task<int?> GetLatestEpochAsync(Guid trialId, CancellationToken cancellationToken = default);
}
