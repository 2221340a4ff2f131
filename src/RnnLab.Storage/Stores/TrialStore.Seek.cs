using Microsoft.EntityFrameworkCore;
using RnnLab.Storage.Entities;

namespace RnnLab.Storage.Stores;

/// <summary>Keyset pages: each page starts where the last one ended, found by an index seek rather than an offset.</summary>
internal abstract partial class TrialStore
{
    public async Task<TrialSeekPage> SeekAsync(Guid sweepId, TrialFilter filter, TrialKey? after, int take, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(take);
        await using var context = Database.CreateContext();
        var query = Matching(context, sweepId, filter);
        // One row more than the page tells whether another page follows.
        var rows = new List<TrialEntity>(Math.Min(take, 1000) + 1);
        if (filter.Order == TrialOrder.Number)
        {
            if (after is not null)
            {
                query = query.Where(t => t.Number > after.Number);
            }

            rows.AddRange(await query.OrderBy(t => t.Number).Take(take + 1).ToListAsync(cancellationToken));
        }
        else
        {
            // Trials with an objective first, then those without one by number: two range scans of the
            // (sweep_id[, cell], objective, number) indexes, the same on every provider whichever way it sorts NULL.
            if (after is null || after.Objective is not null)
            {
                rows.AddRange(await ScoredAfter(query, filter.Order, after).Take(take + 1).ToListAsync(cancellationToken));
            }

            if (rows.Count <= take)
            {
                var unscored = query.Where(t => t.Objective == null);
                if (after is { Objective: null })
                {
                    unscored = unscored.Where(t => t.Number > after.Number);
                }

                rows.AddRange(await unscored.OrderBy(t => t.Number).Take(take + 1 - rows.Count).ToListAsync(cancellationToken));
            }
        }

        if (rows.Count <= take)
        {
            return new TrialSeekPage(rows.ConvertAll(t => t.ToRecord()), null);
        }

        rows.RemoveAt(take);
        var last = rows[^1];
        return new TrialSeekPage(rows.ConvertAll(t => t.ToRecord()), new TrialKey(last.Objective, last.Number));
    }

    public async Task<int> CountAsync(Guid sweepId, TrialFilter filter, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        await using var context = Database.CreateContext();
        return await Matching(context, sweepId, filter).CountAsync(cancellationToken);
    }

    /// <summary>The sweep's trials that pass the filter's states and cells, unordered.</summary>
    private static IQueryable<TrialEntity> Matching(RnnLabDbContext context, Guid sweepId, TrialFilter filter)
    {
        var query = context.Trials.AsNoTracking().Where(t => t.SweepId == sweepId);
        if (filter.States.Count > 0)
        {
            var states = filter.States.ToList();
            query = query.Where(t => states.Contains(t.State));
        }

        if (filter.Cells.Count == 1)
        {
            // An equality, not a one-element list: it puts the cell in the index condition of the
            // (sweep_id, cell, objective, number) index, where a list would be checked row by row.
            var cell = filter.Cells.Single();
            query = query.Where(t => t.Cell == cell);
        }
        else if (filter.Cells.Count > 1)
        {
            var cells = filter.Cells.ToList();
            query = query.Where(t => t.Cell != null && cells.Contains(t.Cell));
        }

        return query;
    }

    /// <summary>The trials with an objective after the key, in the order's direction with ties by number.</summary>
    private static IQueryable<TrialEntity> ScoredAfter(IQueryable<TrialEntity> query, TrialOrder order, TrialKey? after)
    {
        var scored = query.Where(t => t.Objective != null);
        var descending = order == TrialOrder.ObjectiveDescending;
        if (after is { Objective: { } objective, Number: var number })
        {
            // The plain bound (objective >= o) is what the database turns into the start of an index range; the
            // rest only drops the ties at o up to the key's number.
            scored = descending
                ? scored.Where(t => t.Objective <= objective && (t.Objective < objective || t.Number > number))
                : scored.Where(t => t.Objective >= objective && (t.Objective > objective || t.Number > number));
        }

        return descending
            ? scored.OrderByDescending(t => t.Objective).ThenBy(t => t.Number)
            : scored.OrderBy(t => t.Objective).ThenBy(t => t.Number);
    }
}
