using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;
using RnnLab.Storage.Entities;
using RnnLab.Storage.Postgres;

namespace RnnLab.Storage.Stores;

/// <summary>
/// Metric points on PostgreSQL: small batches join other callers' writes in one round trip, large ones use the
/// binary COPY import; on SQLite one transaction per batch.
/// </summary>
internal sealed class EfMetricStore(RnnLabDatabase database) : IMetricStore
{
    /// <summary>From this many points on, COPY's streaming beats a single array-parameter insert.</summary>
    internal const int CopyThreshold = 1_000;

    public async Task AppendAsync(IReadOnlyList<MetricPoint> points, CancellationToken cancellationToken = default)
    {
        MetricPointValidation.Validate(points, nameof(points));
        if (points.Count == 0)
        {
            return;
        }

        if (database.Batcher is { } batcher && points.Count < CopyThreshold)
        {
            await batcher.ExecuteAsync(SqlCommands.InsertPoints(points), cancellationToken);
            return;
        }

        if (database.Provider == StorageProvider.Postgres)
        {
            await CopyAsync(points, cancellationToken);
            return;
        }

        using var writing = await database.WriteLockAsync(cancellationToken);
        await using var context = database.CreateContext();
        context.ChangeTracker.AutoDetectChangesEnabled = false;
        foreach (var p in points)
        {
            context.MetricPoints.Add(p.ToEntity());
        }

        await context.SaveChangesAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<MetricPoint>> ReadAsync(Guid trialId, CancellationToken cancellationToken = default)
    {
        await using var context = database.CreateContext();
        return await context.MetricPoints.AsNoTracking()
            .Where(m => m.TrialId == trialId)
            .OrderBy(m => m.Epoch).ThenBy(m => m.Name).ThenBy(m => m.Id)
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

    private async Task CopyAsync(IReadOnlyList<MetricPoint> points, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var importer = await connection.BeginBinaryImportAsync(
            "COPY metric_points (trial_id, epoch, name, value) FROM STDIN (FORMAT BINARY)", cancellationToken);
        // Rows go into the importer's buffer; the synchronous writes only block when it flushes a full buffer,
        // and skip an async state machine per value.
        foreach (var p in points)
        {
            importer.StartRow();
            importer.Write(p.TrialId, NpgsqlDbType.Uuid);
            importer.Write(p.Epoch, NpgsqlDbType.Integer);
            importer.Write(p.Name, NpgsqlDbType.Varchar);
            importer.Write(p.Value, NpgsqlDbType.Double);
        }

        await importer.CompleteAsync(cancellationToken);
    }
}
