using Microsoft.EntityFrameworkCore;
using RnnLab.Storage.Entities;

namespace RnnLab.Storage.Stores;

/// <summary>
/// What both providers share of <see cref="ISweepStore"/>: EF Core reads and the rare writes; appending events, the
/// hot write, is the provider's own.
/// </summary>
internal abstract class SweepStore(RnnLabDatabase database, TimeProvider time) : ISweepStore
{
    protected RnnLabDatabase Database => database;

    public async Task<(SweepRecord Sweep, bool Created)> CreateAsync(NewSweep sweep, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sweep);
        if (string.IsNullOrWhiteSpace(sweep.Name))
        {
            throw new ArgumentException("The sweep name is empty.", nameof(sweep));
        }

        if (sweep.IdempotencyKey is { } key && await FindByKeyAsync(key, cancellationToken) is { } existing)
        {
            return (existing, false);
        }

        var entity = new SweepEntity
        {
            Id = Guid.CreateVersion7(),
            Name = sweep.Name,
            SpecText = sweep.SpecText,
            State = SweepState.Running,
            IdempotencyKey = sweep.IdempotencyKey,
            CreatedAt = time.GetUtcNow().UtcDateTime,
        };
        using var writing = await database.WriteLockAsync(cancellationToken);
        await using var context = database.CreateContext();
        context.Sweeps.Add(entity);
        try
        {
            await context.SaveChangesAsync(cancellationToken);
            return (entity.ToRecord(), true);
        }
        catch (DbUpdateException) when (sweep.IdempotencyKey is not null)
        {
            // Two submissions with one key raced; the unique index let exactly one in.
            var winner = await FindByKeyAsync(sweep.IdempotencyKey, cancellationToken);
            return winner is null ? throw new InvalidOperationException($"Sweep '{sweep.Name}' could not be created.") : (winner, false);
        }
    }

    public async Task<SweepRecord?> GetAsync(Guid sweepId, CancellationToken cancellationToken = default)
    {
        await using var context = database.CreateContext();
        var entity = await context.Sweeps.AsNoTracking().FirstOrDefaultAsync(s => s.Id == sweepId, cancellationToken);
        return entity?.ToRecord();
    }

    public async Task<IReadOnlyList<SweepRecord>> ListUnfinishedAsync(CancellationToken cancellationToken = default)
    {
        await using var context = database.CreateContext();
        var entities = await context.Sweeps.AsNoTracking()
            .Where(s => s.State == SweepState.Running || s.State == SweepState.Paused)
            .OrderBy(s => s.CreatedAt).ThenBy(s => s.Id)
            .ToListAsync(cancellationToken);
        return entities.ConvertAll(s => s.ToRecord());
    }

    public async Task<IReadOnlyList<SweepRecord>> ListFinishedSinceAsync(DateTime since, CancellationToken cancellationToken = default)
    {
        var from = since.Kind == DateTimeKind.Utc ? since : throw new ArgumentException("must be a UTC time", nameof(since));
        await using var context = database.CreateContext();
        var entities = await context.Sweeps.AsNoTracking()
            .Where(s => s.State != SweepState.Running && s.State != SweepState.Paused && s.FinishedAt >= from)
            .OrderBy(s => s.FinishedAt).ThenBy(s => s.Id)
            .ToListAsync(cancellationToken);
        return entities.ConvertAll(s => s.ToRecord());
    }

    public async Task<SweepPage> ListAsync(IReadOnlyCollection<SweepState> states, int skip, int take, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(states);
        ArgumentOutOfRangeException.ThrowIfNegative(skip);
        ArgumentOutOfRangeException.ThrowIfNegative(take);
        await using var context = database.CreateContext();
        var query = context.Sweeps.AsNoTracking();
        if (states.Count > 0)
        {
            var wanted = states.ToList();
            query = query.Where(s => wanted.Contains(s.State));
        }

        var total = await query.CountAsync(cancellationToken);
        var entities = await query.OrderByDescending(s => s.CreatedAt).ThenByDescending(s => s.Id)
            .Skip(skip).Take(take).ToListAsync(cancellationToken);
        return new SweepPage(entities.ConvertAll(s => s.ToRecord()), total);
    }

    public async Task<int> AddTrialsAsync(Guid sweepId, int trials, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(trials);
        using var writing = await database.WriteLockAsync(cancellationToken);
        await using var context = database.CreateContext();
        var updated = await context.Sweeps.Where(s => s.Id == sweepId)
            .ExecuteUpdateAsync(u => u.SetProperty(s => s.ExtraTrials, s => s.ExtraTrials + trials), cancellationToken);
        if (updated == 0)
        {
            throw new KeyNotFoundException($"Sweep {sweepId} does not exist.");
        }

        return await context.Sweeps.Where(s => s.Id == sweepId).Select(s => s.ExtraTrials).SingleAsync(cancellationToken);
    }

    public async Task SetStateAsync(Guid sweepId, SweepState state, DateTime? finishedAt, CancellationToken cancellationToken = default)
    {
        using var writing = await database.WriteLockAsync(cancellationToken);
        await using var context = database.CreateContext();
        var updated = await context.Sweeps.Where(s => s.Id == sweepId).ExecuteUpdateAsync(
            u => u.SetProperty(s => s.State, state).SetProperty(s => s.FinishedAt, finishedAt),
            cancellationToken);
        if (updated == 0)
        {
            throw new KeyNotFoundException($"Sweep {sweepId} does not exist.");
        }
    }

    public async Task AppendEventsAsync(IReadOnlyList<SweepEventRecord> events, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(events);
        if (events.Count == 0)
        {
            return;
        }

        foreach (var e in events)
        {
            if (e is null)
            {
                throw new ArgumentException("The event list holds a null event.", nameof(events));
            }

            if (e.Sequence <= 0)
            {
                throw new ArgumentException($"Event sequence numbers start at 1; got {e.Sequence}.", nameof(events));
            }
        }

        await AppendEventsCoreAsync(events, cancellationToken);
    }

    /// <summary>Inserts the events, all or none; a sequence number used twice throws <see cref="StorageConflictException"/>.</summary>
    protected abstract Task AppendEventsCoreAsync(IReadOnlyList<SweepEventRecord> events, CancellationToken cancellationToken);

    public async Task<IReadOnlyList<SweepEventRecord>> ReadEventsAsync(Guid sweepId, long afterSequence, int maxCount, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxCount);
        await using var context = database.CreateContext();
        var entities = await context.SweepEvents.AsNoTracking()
            .Where(e => e.SweepId == sweepId && e.Sequence > afterSequence)
            .OrderBy(e => e.Sequence)
            .Take(maxCount)
            .ToListAsync(cancellationToken);
        return entities.ConvertAll(e => e.ToRecord());
    }

    public async Task<long> LastEventSequenceAsync(Guid sweepId, CancellationToken cancellationToken = default)
    {
        await using var context = database.CreateContext();
        return await context.SweepEvents.Where(e => e.SweepId == sweepId)
            .MaxAsync(e => (long?)e.Sequence, cancellationToken) ?? 0;
    }

    private async Task<SweepRecord?> FindByKeyAsync(string key, CancellationToken cancellationToken)
    {
        await using var context = database.CreateContext();
        var entity = await context.Sweeps.AsNoTracking().FirstOrDefaultAsync(s => s.IdempotencyKey == key, cancellationToken);
        return entity?.ToRecord();
    }
}
