using Microsoft.EntityFrameworkCore;
using RnnLab.Storage.Entities;
using RnnLab.Storage.Stores;

namespace RnnLab.Storage.Sqlite;

/// <summary>Trials in a SQLite file: EF Core writes, one writer at a time (<see cref="RnnLabDatabase.WriteLockAsync"/>).</summary>
internal sealed class SqliteTrialStore(RnnLabDatabase database, TimeProvider time) : TrialStore(database, time)
{
    protected override async Task InsertAsync(IReadOnlyList<NewTrial> trials, List<TrialEntity> entities, DateTime createdAt, CancellationToken cancellationToken)
    {
        using var writing = await Database.WriteLockAsync(cancellationToken);
        await using var context = Database.CreateContext();
        context.ChangeTracker.AutoDetectChangesEnabled = false;
        context.Trials.AddRange(entities);
        try
        {
            // SaveChanges wraps every insert in one transaction, so a duplicate number leaves none of the list behind.
            await context.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException e)
        {
            throw new StorageConflictException($"{trials.Count} trial(s) could not be added: {e.InnerException?.Message ?? e.Message}", e);
        }
    }

    protected override async Task<bool> MarkRunningCoreAsync(Guid trialId, int attempt, string worker, DateTime leaseExpiresAt, int? resumedFromEpoch, DateTime startedAt, CancellationToken cancellationToken)
    {
        using var writing = await Database.WriteLockAsync(cancellationToken);
        await using var context = Database.CreateContext();
        var updated = await NotFinal(context, trialId).Where(t => t.Attempt < attempt).ExecuteUpdateAsync(u => u
            .SetProperty(t => t.State, TrialState.Running)
            .SetProperty(t => t.Attempt, attempt)
            .SetProperty(t => t.Worker, worker)
            .SetProperty(t => t.LeaseExpiresAt, leaseExpiresAt)
            .SetProperty(t => t.ResumedFromEpoch, resumedFromEpoch)
            .SetProperty(t => t.StartedAt, startedAt), cancellationToken);
        return updated == 1;
    }

    public override async Task<bool> RequeueAsync(Guid trialId, string? error, CancellationToken cancellationToken = default)
    {
        using var writing = await Database.WriteLockAsync(cancellationToken);
        await using var context = Database.CreateContext();
        var updated = await NotFinal(context, trialId).ExecuteUpdateAsync(u => u
            .SetProperty(t => t.State, TrialState.Pending)
            .SetProperty(t => t.Worker, (string?)null)
            .SetProperty(t => t.LeaseExpiresAt, (DateTime?)null)
            .SetProperty(t => t.Error, error), cancellationToken);
        return updated == 1;
    }

    protected override async Task<bool> FinishCoreAsync(Guid trialId, TrialOutcome outcome, IReadOnlyList<MetricPoint> finalPoints, CancellationToken cancellationToken)
    {
        using var writing = await Database.WriteLockAsync(cancellationToken);
        await using var context = Database.CreateContext();
        await using var transaction = await context.Database.BeginTransactionAsync(cancellationToken);
        if (finalPoints.Count > 0)
        {
            context.ChangeTracker.AutoDetectChangesEnabled = false;
            context.MetricPoints.AddRange(finalPoints.Select(p => p.ToEntity()));
            try
            {
                await context.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateException e)
            {
                throw new StorageConflictException($"the final points of trial {trialId} could not be written: {e.InnerException?.Message ?? e.Message}", e);
            }
        }

        // The conditional update is the exactly-once guard: a second report finds the row already final.
        var updated = await NotFinal(context, trialId).ExecuteUpdateAsync(u => u
            .SetProperty(t => t.State, outcome.State)
            .SetProperty(t => t.ResultJson, outcome.ResultJson)
            .SetProperty(t => t.Objective, outcome.Objective)
            .SetProperty(t => t.Error, outcome.Error)
            .SetProperty(t => t.FinishedAt, outcome.FinishedAt)
            .SetProperty(t => t.LeaseExpiresAt, (DateTime?)null), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return updated == 1;
    }

    private static IQueryable<TrialEntity> NotFinal(RnnLabDbContext context, Guid trialId) =>
        context.Trials.Where(t => t.Id == trialId && (t.State == TrialState.Pending || t.State == TrialState.Running));
}
