using Npgsql;
using NpgsqlTypes;
using RnnLab.Storage.Stores;

namespace RnnLab.Storage.Postgres;

/// <summary>
/// Metric points on PostgreSQL: small batches join other callers' writes in one round trip, large ones use the
/// binary COPY import.
/// </summary>
internal sealed class PostgresMetricStore(RnnLabDatabase database, CommandBatcher batcher) : MetricStore(database)
{
    /// <summary>From this many points on, COPY's streaming beats a single array-parameter insert.</summary>
    internal const int CopyThreshold = 1_000;

    protected override async Task AppendCoreAsync(IReadOnlyList<MetricPoint> points, CancellationToken cancellationToken)
    {
        try
        {
            if (points.Count < CopyThreshold)
            {
                await batcher.ExecuteAsync(SqlCommands.InsertPoints(points), cancellationToken);
                return;
            }

            await CopyAsync(points, cancellationToken);
        }
        catch (PostgresException e) when (e.IsConstraint())
        {
            throw new StorageConflictException($"{points.Count} metric point(s) could not be written: {e.MessageText}", e);
        }
    }

    private async Task CopyAsync(IReadOnlyList<MetricPoint> points, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(Database.ConnectionString);
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
