using Npgsql;
using RnnLab.Storage.Entities;
using RnnLab.Storage.Stores;

namespace RnnLab.Storage.Postgres;

/// <summary>Trials on PostgreSQL: the hot writes are raw commands that share round trips through the <see cref="CommandBatcher"/>.</summary>
internal sealed class PostgresTrialStore(RnnLabDatabase database, CommandBatcher batcher, TimeProvider time) : TrialStore(database, time)
{
    protected override async Task InsertAsync(IReadOnlyList<NewTrial> trials, List<TrialEntity> entities, DateTime createdAt, CancellationToken cancellationToken)
    {
        try
        {
            await batcher.ExecuteAsync(SqlCommands.InsertTrials(trials, entities.ConvertAll(e => e.Id), createdAt), cancellationToken);
        }
        catch (PostgresException e) when (e.IsConstraint())
        {
            throw new StorageConflictException($"{trials.Count} trial(s) could not be added: {e.MessageText}", e);
        }
    }

    protected override async Task<bool> MarkRunningCoreAsync(Guid trialId, int attempt, string worker, DateTime leaseExpiresAt, int? resumedFromEpoch, DateTime startedAt, CancellationToken cancellationToken) =>
        await batcher.ExecuteAsync(SqlCommands.MarkRunning(trialId, attempt, worker, leaseExpiresAt, resumedFromEpoch, startedAt), cancellationToken) == 1;

    public override async Task<bool> RequeueAsync(Guid trialId, string? error, CancellationToken cancellationToken = default) =>
        await batcher.ExecuteAsync(SqlCommands.Requeue(trialId, error), cancellationToken) == 1;

    protected override async Task<bool> FinishCoreAsync(Guid trialId, TrialOutcome outcome, IReadOnlyList<MetricPoint> finalPoints, CancellationToken cancellationToken)
    {
        // Points first, then the guarded update, in one batch: one round trip, one transaction.
        NpgsqlBatchCommand[] commands = finalPoints.Count > 0
            ? [SqlCommands.InsertPoints(finalPoints), SqlCommands.Finish(trialId, outcome)]
            : [SqlCommands.Finish(trialId, outcome)];
        try
        {
            var affected = await batcher.ExecuteAsync(commands, cancellationToken);
            return affected[^1] == 1;
        }
        catch (PostgresException e) when (e.IsConstraint())
        {
            throw new StorageConflictException($"the final points of trial {trialId} could not be written: {e.MessageText}", e);
        }
    }
}
