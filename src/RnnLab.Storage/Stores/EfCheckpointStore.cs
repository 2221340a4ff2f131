using Microsoft.EntityFrameworkCore;
using RnnLab.Storage.Entities;

namespace RnnLab.Storage.Stores;

/// <summary>EF Core implementation of <see cref="ICheckpointStore"/>.</summary>
internal sealed class EfCheckpointStore(RnnLabDatabase database, TimeProvider time) : ICheckpointStore
{
    public async Task SaveAsync(Guid trialId, int epoch, byte[] bytes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        ArgumentOutOfRangeException.ThrowIfNegative(epoch);
        using var writing = await database.WriteLockAsync(cancellationToken);
        await using var context = database.CreateContext();
        await using var transaction = await context.Database.BeginTransactionAsync(cancellationToken);
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
