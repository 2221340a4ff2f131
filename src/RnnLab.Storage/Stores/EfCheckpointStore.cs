using Microsoft.EntityFrameworkCore;
using RnnLab.Storage.Entities;

namespace RnnLab.Storage.Stores;

/// <summary>EF Core implementation of <see cref="ICheckpointStore"/>.</summary>
internal sealed class EfCheckpointStore(RnnLabDatabase database, TimeProvider time) : ICheckpointStore
{
    public Task SaveAsync(Guid trialId, int epoch, byte[] bytes, CancellationToken cancellationToken = default) =>
        SaveAsync(trialId, attempt: null, epoch, bytes, cancellationToken);

    public Task<bool> SaveAsync(Guid trialId, int attempt, int epoch, byte[] bytes, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(attempt);
        return SaveAsync(trialId, (int?)attempt, epoch, bytes, cancellationToken);
    }

    private async Task<bool> SaveAsync(Guid trialId, int? attempt, int epoch, byte[] bytes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        ArgumentOutOfRangeException.ThrowIfNegative(epoch);
        using var writing = await database.WriteLockAsync(cancellationToken);
        await using var context = database.CreateContext();
        await using var transaction = await context.Database.BeginTransactionAsync(cancellationToken);
        if (attempt is { } current)
        {
            // A no-op update of the running attempt's row: it fences the write and locks the row until commit.
            var running = await context.Trials
                .Where(t => t.Id == trialId && t.Attempt == current && t.State == TrialState.Running)
                .ExecuteUpdateAsync(u => u.SetProperty(t => t.Attempt, t => t.Attempt), cancellationToken);
            if (running == 0)
            {
                return false;
            }
        }

        // Older snapshots are never read again once a newer one is safely written.
        await context.Checkpoints.Where(c => c.TrialId == trialId && c.Epoch >= epoch).ExecuteDeleteAsync(cancellationToken);
        context.Checkpoints.Add(new CheckpointEntity
        {
            TrialId = trialId,
            Epoch = epoch,
            Bytes = bytes,
            CreatedAt = time.GetUtcNow().UtcDateTime,
        });
        await context.SaveChangesAsync(cancellationToken);
        await context.Checkpoints.Where(c => c.TrialId == trialId && c.Epoch < epoch).ExecuteDeleteAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    public async Task<int?> GetLatestEpochAsync(Guid trialId, CancellationToken cancellationToken = default)
    {
        await using var context = database.CreateContext();
        return await context.Checkpoints.Where(c => c.TrialId == trialId)
            .MaxAsync(c => (int?)c.Epoch, cancellationToken);
    }

    public async Task<CheckpointRecord?> GetLatestAsync(Guid trialId, CancellationToken cancellationToken = default)
    {
        await using var context = database.CreateContext();
        var entity = await context.Checkpoints.AsNoTracking()
            .Where(c => c.TrialId == trialId)
            .OrderByDescending(c => c.Epoch)
            .FirstOrDefaultAsync(cancellationToken);
        return entity is null ? null : new CheckpointRecord(entity.TrialId, entity.Epoch, entity.Bytes, entity.CreatedAt);
    }
}
