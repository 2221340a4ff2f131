using Microsoft.EntityFrameworkCore;
using RnnLab.Storage.Entities;

namespace RnnLab.Storage.Stores;

/// <summary>What both providers share of <see cref="IMetricStore"/>: checks, reads and deletes; appending is the provider's own.</summary>
internal abstract class MetricStore(RnnLabDatabase database) : IMetricStore
{
    protected RnnLabDatabase Database => database;

    public async Task AppendAsync(IReadOnlyList<MetricPoint> points, CancellationToken cancellationToken = default)
    {
        MetricPointValidation.Validate(points, nameof(points));
        if (points.Count > 0)
        {
            await AppendCoreAsync(points, cancellationToken);
        }
    }

    protected abstract Task AppendCoreAsync(IReadOnlyList<MetricPoint> points, CancellationToken cancellationToken);

    public async Task<IReadOnlyList<MetricPoint>> ReadAsync(Guid trialId, CancellationToken cancellationToken = default)
    {
        await using var context = database.CreateContext();
        return await context.MetricPoints.AsNoTracking()
            .Where(m => m.TrialId == trialId)
            .OrderBy(m => m.Epoch).ThenBy(m => m.Name).ThenBy(m => m.Id)
            .Select(m => new MetricPoint(m.TrialId, m.Epoch, m.Name, m.Value))
            .ToListAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<MetricPoint>> ReadAsync(IReadOnlyCollection<Guid> trialIds, string name, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(trialIds);
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (trialIds.Count == 0)
        {
            return [];
        }

        // The ids go as one array parameter (= ANY on PostgreSQL, json_each on SQLite): one query whatever their number.
        var ids = trialIds.Distinct().ToArray();
        await using var context = database.CreateContext();
        return await context.MetricPoints.AsNoTracking()
            .Where(m => ids.Contains(m.TrialId) && m.Name == name)
            .OrderBy(m => m.TrialId).ThenBy(m => m.Epoch).ThenBy(m => m.Id)
            .Select(m => new MetricPoint(m.TrialId, m.Epoch, m.Name, m.Value))
            .ToListAsync(cancellationToken);
    }

    public async Task<int> DeleteAfterEpochAsync(Guid trialId, int epoch, CancellationToken cancellationToken = default)
    {
        using var writing = await database.WriteLockAsync(cancellationToken);
        await using var context = database.CreateContext();
        return await context.MetricPoints.Where(m => m.TrialId == trialId && m.Epoch > epoch)
            .ExecuteDeleteAsync(cancellationToken);
    }
}
