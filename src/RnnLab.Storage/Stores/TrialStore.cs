using Microsoft.EntityFrameworkCore;
using RnnLab.Storage.Entities;

namespace RnnLab.Storage.Stores;

/// <summary>
/// What both providers share of <see cref="ITrialStore"/>: argument checks and the reads, as EF Core queries that
/// translate on either. The writes that decide throughput are the provider's own (<c>PostgresTrialStore</c>,
/// <c>SqliteTrialStore</c>).
/// </summary>
internal abstract partial class TrialStore(RnnLabDatabase database, TimeProvider time) : ITrialStore
{
    protected RnnLabDatabase Database => database;

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
            Cell = TrialCells.Of(t.ParametersJson),
            State = TrialState.Pending,
            CreatedAt = createdAt,
        }).ToList();
        await InsertAsync(trials, entities, createdAt, cancellationToken);
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

    public async Task<TrialPage> PageAsync(Guid sweepId, TrialFilter filter, int skip, int take, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentOutOfRangeException.ThrowIfNegative(skip);
        ArgumentOutOfRangeException.ThrowIfNegative(take);
        await using var context = database.CreateContext();
        var query = Matching(context, sweepId, filter);
        var total = await query.CountAsync(cancellationToken);
        if (filter.Order == TrialOrder.Number)
        {
            var page = await query.OrderBy(t => t.Number).Skip(skip).Take(take).ToListAsync(cancellationToken);
            return new TrialPage(page.ConvertAll(t => t.ToRecord()), total);
        }

        // Trials with an objective come first, in its order, then those without one by number. Two plain queries
        // instead of one ORDER BY over "is null": each walks the (sweep_id, objective) or (sweep_id, number) index,
        // and NULLs sort the same way on every provider.
        var scored = query.Where(t => t.Objective != null);
        var scoredCount = await scored.CountAsync(cancellationToken);
        var entities = new List<TrialEntity>(Math.Min(take, total));
        if (skip < scoredCount)
        {
            var byObjective = filter.Order == TrialOrder.ObjectiveDescending
                ? scored.OrderByDescending(t => t.Objective).ThenBy(t => t.Number)
                : scored.OrderBy(t => t.Objective).ThenBy(t => t.Number);
            entities.AddRange(await byObjective.Skip(skip).Take(take).ToListAsync(cancellationToken));
        }

        if (entities.Count < take && skip + entities.Count >= scoredCount)
        {
            entities.AddRange(await query.Where(t => t.Objective == null).OrderBy(t => t.Number)
                .Skip(Math.Max(0, skip - scoredCount)).Take(take - entities.Count).ToListAsync(cancellationToken));
        }

        return new TrialPage(entities.ConvertAll(t => t.ToRecord()), total);
    }

    public async Task<TrialTally> TallyAsync(Guid sweepId, CancellationToken cancellationToken = default)
    {
        await using var context = database.CreateContext();
        var counts = await context.Trials.AsNoTracking()
            .Where(t => t.SweepId == sweepId)
            .GroupBy(t => t.State)
            .Select(g => new { State = g.Key, Count = g.Count() })
            .ToDictionaryAsync(r => r.State, r => r.Count, cancellationToken);
        if (counts.Count == 0)
        {
            return TrialTally.Empty;
        }

        // Ungrouped MIN and MAX let the database probe each end of the (sweep_id, objective) index.
        var finite = context.Trials.AsNoTracking()
            .Where(t => t.SweepId == sweepId && t.Objective <= double.MaxValue && t.Objective >= double.MinValue);
        var min = await finite.MinAsync(t => t.Objective, cancellationToken);
        var max = await finite.MaxAsync(t => t.Objective, cancellationToken);
        return new TrialTally(counts, min, max);
    }

    public async Task<IReadOnlyDictionary<Guid, TrialTally>> TallyAsync(IReadOnlyCollection<Guid> sweepIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sweepIds);
        if (sweepIds.Count == 0)
        {
            return new Dictionary<Guid, TrialTally>();
        }

        var ids = sweepIds.Distinct().ToList();
        await using var context = database.CreateContext();
        // Counts by state come from the (sweep_id, state) index; the extreme finite objectives from the
        // (sweep_id, objective) one. One grouped query over both would read every row.
        var counts = await context.Trials.AsNoTracking()
            .Where(t => ids.Contains(t.SweepId))
            .GroupBy(t => new { t.SweepId, t.State })
            .Select(g => new { g.Key.SweepId, g.Key.State, Count = g.Count() })
            .ToListAsync(cancellationToken);
        var extremes = await context.Trials.AsNoTracking()
            .Where(t => ids.Contains(t.SweepId) && t.Objective <= double.MaxValue && t.Objective >= double.MinValue)
            .GroupBy(t => t.SweepId)
            .Select(g => new { SweepId = g.Key, Min = g.Min(t => t.Objective), Max = g.Max(t => t.Objective) })
            .ToDictionaryAsync(e => e.SweepId, cancellationToken);
        return counts.GroupBy(r => r.SweepId).ToDictionary(
            g => g.Key,
            g => new TrialTally(
                g.ToDictionary(r => r.State, r => r.Count),
                extremes.GetValueOrDefault(g.Key)?.Min,
                extremes.GetValueOrDefault(g.Key)?.Max));
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

    public Task<bool> MarkRunningAsync(Guid trialId, int attempt, string worker, DateTime leaseExpiresAt, int? resumedFromEpoch, DateTime startedAt, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(worker);
        return MarkRunningCoreAsync(trialId, attempt, worker, leaseExpiresAt, resumedFromEpoch, startedAt, cancellationToken);
    }

    public abstract Task<bool> RequeueAsync(Guid trialId, string? error, CancellationToken cancellationToken = default);

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

    public Task<bool> TryFinishAsync(Guid trialId, TrialOutcome outcome, IReadOnlyList<MetricPoint> finalPoints, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        if (!outcome.State.IsFinal())
        {
            throw new ArgumentException($"A trial cannot finish in state {outcome.State}.", nameof(outcome));
        }

        MetricPointValidation.Validate(finalPoints, nameof(finalPoints), trialId);
        return FinishCoreAsync(trialId, outcome, finalPoints, cancellationToken);
    }

    /// <summary>Inserts the new trials, all or none; a number already used throws <see cref="StorageConflictException"/>.</summary>
    protected abstract Task InsertAsync(IReadOnlyList<NewTrial> trials, List<TrialEntity> entities, DateTime createdAt, CancellationToken cancellationToken);

    protected abstract Task<bool> MarkRunningCoreAsync(Guid trialId, int attempt, string worker, DateTime leaseExpiresAt, int? resumedFromEpoch, DateTime startedAt, CancellationToken cancellationToken);

    /// <summary>Writes the points and the guarded final update in one transaction; true when this call finished the trial.</summary>
    protected abstract Task<bool> FinishCoreAsync(Guid trialId, TrialOutcome outcome, IReadOnlyList<MetricPoint> finalPoints, CancellationToken cancellationToken);
}
