namespace RnnLab.Storage;

/// <summary>Training-state snapshots of trials; only the latest one per trial is kept.</summary>
public interface ICheckpointStore
{
    Task SaveAsync(Guid trialId, int epoch, byte[] bytes, CancellationToken cancellationToken = default);

    Task<CheckpointRecord?> GetLatestAsync(Guid trialId, CancellationToken cancellationToken = default);
}
