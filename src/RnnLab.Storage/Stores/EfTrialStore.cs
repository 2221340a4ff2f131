using Microsoft.EntityFrameworkCore;
using Npgsql;
using RnnLab.Storage.Postgres;
using RnnLab.Storage.Entities;

namespace RnnLab.Storage.Stores;

/// <summary>EF Core implementation of <see cref="ITrialStore"/>.</summary>
internal sealed class EfTrialStore(RnnLabDatabase database, TimeProvider time) : ITrialStore
{
    public async Task<TrialRecord> AddAsync(NewTrial trial, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(trial);
        return (await AddRangeAsync([trial], cancellationToken))[0];
    }

    public async Task<IReadOnlyList<TrialRecord>> AddRangeAsync(IReadOnlyList<NewTrial> trials, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(trials);
        for (var i = 0; i < trials.Count; i++)
        {
            if (trials[i] is null)
            {
                throw new ArgumentException($"Trial {i} of the list is null.", nameof(trials));
            }

            if (trials[i].Number < 0)
            {
                throw new ArgumentOutOfRangeException(nameof(trials), trials[i].Number, $"Trial {i} of the list has a negative number.");
            }
        }

        if (trials.Count == 0)
        {
            return [];
        }

        var createdAt = time.GetUtcNow().UtcDateTime;
        var entities = trials.Select(t => new TrialEntity
        {
            Id = Guid.CreateVersion7(),
            SweepId = t.SweepId,
            Number = t.Number,
            ParametersJson = t.ParametersJson,
            State = TrialState.Pending,
            CreatedAt = createdAt,
        }).ToList();
        if (database.Batcher is { } batcher)
        {
            try
            {
                await batcher.ExecuteAsync(SqlCommands.InsertTrials(trials, entities.ConvertAll(e => e.Id), createdAt), cancellationToken);
            }
            catch (PostgresException e)
            {
                // Same failure type as the EF path, so callers need not know the provider.
                throw new DbUpdateException($"{trials.Count} trial(s) could not be added: {e.MessageText}", e);
            }

            return entities.ConvertAll(t => t.ToRecord());
        }

        using var writing = await database.WriteLockAsync(cancellationToken);
        await using var context = database.CreateContext();
        context.ChangeTracker.AutoDetectChangesEnabled = false;
        context.Trials.AddRange(entities);
        // SaveChanges wraps every insert in one transaction, so a duplicate number leaves none of the list behind.
        await context.SaveChangesAsync(cancellationToken);
        return entities.ConvertAll(t => t.ToRecord());
    }

    public async Task<TrialRecord?> GetAsync(Guid trialId, CancellationToken cancellationToken = default)
    {
        await using var context = database.CreateContext();
        var entity = await context.Trials.AsNoTracking().FirstOrDefaultAsync(t => t.Id == trialId, cancellationToken);
        return entity?.ToRecord();
    }

    public async Task<IReadOnlyList<TrialRecord>> ListAsync(Guid sweepId, TrialState? state = null, CancellationToken cancellationToken = default)
    {
        await using var context = database.CreateContext();
        var query = context.Trials.AsNoTracking().Where(t => t.SweepId == sweepId);
        if (state is { } s)
        {
            query = query.Where(t => t.State == s);
        }

        var entities = await query.OrderBy(t => t.Number).ToListAsync(cancellationToken);
        return entities.ConvertAll(t => t.ToRecord());
    }

    public async Task<IReadOnlyList<TrialRecord>> ListActiveAsync(CancellationToken cancellationToken = default)
    {
        await using var context = database.CreateContext();
        var entities = await context.Trials.AsNoTracking()
            .Where(t => t.State == TrialState.Pending || t.State == TrialState.Running)
            .Join(context.Sweeps.Where(s => s.State == SweepState.Running || s.State == SweepState.Paused),
                t => t.SweepId, s => s.Id, (t, s) => t)
            .OrderBy(t => t.CreatedAt).ThenBy(t => t.Number)
            .ToListAsync(cancellationToken);
        return entities.ConvertAll(t => t.ToRecord());
    }

    public async Task<IReadOnlyList<TrialRecord>> ListBestAsync(Guid sweepId, int count, bool higherIsBetter = false, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        await using var context = database.CreateContext();
        var query = context.Trials.AsNoTracking().Where(t => t.SweepId == sweepId && t.Objective != null);
        query = higherIsBetter
            ? query.OrderByDescending(t => t.Objective).ThenBy(t => t.Number)
            : query.OrderBy(t => t.Objective).ThenBy(t => t.Number);
        var entities = await query.Take(count).ToListAsync(cancellationToken);
        return entities.ConvertAll(t => t.ToRecord());
    }

    public async Task<bool> MarkRunningAsync(Guid trialId, int attempt, string worker, DateTime leaseExpiresAt, int? resumedFromEpoch, DateTime startedAt, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(worker);
        if (database.Batcher is { } batcher)
        {
            return await batcher.ExecuteAsync(
                SqlCommands.MarkRunning(trialId, attempt, worker, leaseExpiresAt, resumedFromEpoch, startedAt), cancellationToken) == 1;
        }

        using var writing = await database.WriteLockAsync(cancellationToken);
        await using var context = database.CreateContext();
        var updated = await NotFinal(context, trialId).Where(t => t.Attempt < attempt).ExecuteUpdateAsync(u => u
            .SetProperty(t => t.State, TrialState.Running)
            .SetProperty(t => t.Attempt, attempt)
            .SetProperty(t => t.Worker, worker)
            .SetProperty(t => t.LeaseExpiresAt, leaseExpiresAt)
            .SetProperty(t => t.ResumedFromEpoch, resumedFromEpoch)
            .SetProperty(t => t.StartedAt, startedAt), cancellationToken);
        return updated == 1;
    }

    public async Task<bool> RequeueAsync(Guid trialId, string? error, CancellationToken cancellationToken = default)
    {
        if (database.Batcher is { } batcher)
        {
            return await batcher.ExecuteAsync(SqlCommands.Requeue(trialId, error), cancellationToken) == 1;
        }

        using var writing = await database.WriteLockAsync(cancellationToken);
        await using var context = database.CreateContext();
        var updated = await NotFinal(context, trialId).ExecuteUpdateAsync(u => u
            .SetProperty(t => t.State, TrialState.Pending)
            .SetProperty(t => t.Worker, (string?)null)
            .SetProperty(t => t.LeaseExpiresAt, (DateTime?)null)
            .SetProperty(t => t.Error, error), cancellationToken);
        return updated == 1;
    }

    public async Task<bool> ReopenAsync(Guid trialId, CancellationToken cancellationToken = default)
    {
        using var writing = await database.WriteLockAsync(cancellationToken);
        await using var context = database.CreateContext();
        var updated = await context.Trials
            .Where(t => t.Id == trialId && t.State != TrialState.Pending && t.State != TrialState.Running)
            .ExecuteUpdateAsync(u => u
                .SetProperty(t => t.State, TrialState.Pending)
                .SetProperty(t => t.ResultJson, (string?)null)
                .SetProperty(t => t.Objective, (double?)null)
                .SetProperty(t => t.Error, (string?)null)
                .SetProperty(t => t.FinishedAt, (DateTime?)null)
                .SetProperty(t => t.Worker, (string?)null)
                .SetProperty(t => t.LeaseExpiresAt, (DateTime?)null), cancellationToken);
        return updated == 1;
    }

    public Task<bool> TryFinishAsync(Guid trialId, TrialOutcome outcome, CancellationToken cancellationToken = default) =>
        TryFinishAsync(trialId, outcome, [], cancellationToken);

    public async Task<bool> TryFinishAsync(Guid trialId, TrialOutcome outcome, IReadOnlyList<MetricPoint> finalPoints, CancellationToken cancellationToken = default)
    {
        ValidateOutcome(outcome);
        MetricPointValidation.Validate(finalPoints, nameof(finalPoints), trialId);
        if (database.Batcher is { } batcher)
        {
            // Points first, then the guarded update, in one batch: one round trip, one transaction.
            NpgsqlBatchCommand[] commands = finalPoints.Count > 0
                ? [SqlCommands.InsertPoints(finalPoints), SqlCommands.Finish(trialId, outcome)]
                : [SqlCommands.Finish(trialId, outcome)];
            var affected = await batcher.ExecuteAsync(commands, cancellationToken);
            return affected[^1] == 1;
        }

        using var writing = await database.WriteLockAsync(cancellationToken);
        await using var context = database.CreateContext();
        await using var transaction = await context.Database.BeginTransactionAsync(cancellationToken);
        if (finalPoints.Count > 0)
        {
            context.ChangeTracker.AutoDetectChangesEnabled = false;
            context.MetricPoints.AddRange(finalPoints.Select(p => p.ToEntity()));
            await context.SaveChangesAsync(cancellationToken);
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

    private static void ValidateOutcome(TrialOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        if (!outcome.State.IsFinal())
        {
            throw new ArgumentException($"A trial cannot finish in state {outcome.State}.", nameof(outcome));
        }
    }

    private static IQueryable<TrialEntity> NotFinal(RnnLabDbContext context, Guid trialId) =>
        context.Trials.Where(t => t.Id == trialId
            && (t.State == TrialState.Pending || t.State == TrialState.Running));
}
