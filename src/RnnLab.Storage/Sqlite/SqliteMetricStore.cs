using Microsoft.EntityFrameworkCore;
using RnnLab.Storage.Stores;

namespace RnnLab.Storage.Sqlite;

/// <summary>Metric points in a SQLite file: one EF Core transaction per batch, one writer at a time.</summary>
internal sealed class SqliteMetricStore(RnnLabDatabase database) : MetricStore(database)
{
    protected override async Task AppendCoreAsync(IReadOnlyList<MetricPoint> points, CancellationToken cancellationToken)
    {
        using var writing = await Database.WriteLockAsync(cancellationToken);
        await using var context = Database.CreateContext();
        context.ChangeTracker.AutoDetectChangesEnabled = false;
        context.MetricPoints.AddRange(points.Select(p => p.ToEntity()));
        try
        {
            await context.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException e)
        {
            throw new StorageConflictException($"{points.Count} metric point(s) could not be written: {e.InnerException?.Message ?? e.Message}", e);
        }
    }
}
