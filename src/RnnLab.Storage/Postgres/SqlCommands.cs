using Npgsql;
using NpgsqlTypes;
using RnnLab.Storage.Stores;

namespace RnnLab.Storage.Postgres;

/// <summary>
/// The hot writes as raw PostgreSQL commands for <see cref="CommandBatcher"/>. Table and column names follow the
/// snake_case model of the migrations; states are stored as their enum names (HasConversion&lt;string&gt;).
/// </summary>
internal static class SqlCommands
{
    private const string NotFinal = $"state IN ('{nameof(TrialState.Pending)}', '{nameof(TrialState.Running)}')";

    public static NpgsqlBatchCommand InsertTrials(IReadOnlyList<NewTrial> trials, IReadOnlyList<Guid> ids, DateTime createdAt) =>
        Command(
            $"""
             INSERT INTO trials (id, sweep_id, number, parameters_json, cell, state, attempt, created_at)
             SELECT u.id, u.sweep_id, u.number, u.parameters::jsonb, u.cell, '{nameof(TrialState.Pending)}', 0, $5
             FROM unnest($1::uuid[], $2::uuid[], $3::integer[], $4::text[], $6::text[]) AS u(id, sweep_id, number, parameters, cell)
             """,
            Value(ids.ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Uuid),
            Value(trials.Select(t => t.SweepId).ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Uuid),
            Value(trials.Select(t => t.Number).ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Integer),
            Value(trials.Select(t => t.ParametersJson).ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Text),
            Value(createdAt, NpgsqlDbType.TimestampTz),
            Value(trials.Select(t => TrialCells.Of(t.ParametersJson)).ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Text));

    public static NpgsqlBatchCommand MarkRunning(Guid trialId, int attempt, string worker, DateTime leaseExpiresAt, int? resumedFromEpoch, DateTime startedAt) =>
        Command(
            $"""
             UPDATE trials SET state = '{nameof(TrialState.Running)}', attempt = $2, worker = $3, lease_expires_at = $4,
                 resumed_from_epoch = $5, started_at = $6
             WHERE id = $1 AND {NotFinal} AND attempt < $2
             """,
            Value(trialId, NpgsqlDbType.Uuid),
            Value(attempt, NpgsqlDbType.Integer),
            Value(worker, NpgsqlDbType.Varchar),
            Value(leaseExpiresAt, NpgsqlDbType.TimestampTz),
            Value(resumedFromEpoch, NpgsqlDbType.Integer),
            Value(startedAt, NpgsqlDbType.TimestampTz));

    public static NpgsqlBatchCommand Requeue(Guid trialId, string? error) =>
        Command(
            $"""
             UPDATE trials SET state = '{nameof(TrialState.Pending)}', worker = NULL, lease_expires_at = NULL, error = $2
             WHERE id = $1 AND {NotFinal}
             """,
            Value(trialId, NpgsqlDbType.Uuid),
            Value(error, NpgsqlDbType.Text));

    public static NpgsqlBatchCommand Finish(Guid trialId, TrialOutcome outcome) =>
        Command(
            $"""
             UPDATE trials SET state = $2, result_json = $3::jsonb, objective = $4, error = $5, finished_at = $6,
                 lease_expires_at = NULL
             WHERE id = $1 AND {NotFinal}
             """,
            Value(trialId, NpgsqlDbType.Uuid),
            Value(outcome.State.ToString(), NpgsqlDbType.Varchar),
            Value(outcome.ResultJson, NpgsqlDbType.Text),
            Value(outcome.Objective, NpgsqlDbType.Double),
            Value(outcome.Error, NpgsqlDbType.Text),
            Value(outcome.FinishedAt, NpgsqlDbType.TimestampTz));

    public static NpgsqlBatchCommand InsertPoints(IReadOnlyList<MetricPoint> points)
    {
        var ids = new Guid[points.Count];
        var epochs = new int[points.Count];
        var names = new string[points.Count];
        var values = new double[points.Count];
        for (var i = 0; i < points.Count; i++)
        {
            (ids[i], epochs[i], names[i], values[i]) = points[i];
        }

        return Command(
            """
            INSERT INTO metric_points (trial_id, epoch, name, value)
            SELECT * FROM unnest($1::uuid[], $2::integer[], $3::text[], $4::double precision[])
            """,
            Value(ids, NpgsqlDbType.Array | NpgsqlDbType.Uuid),
            Value(epochs, NpgsqlDbType.Array | NpgsqlDbType.Integer),
            Value(names, NpgsqlDbType.Array | NpgsqlDbType.Text),
            Value(values, NpgsqlDbType.Array | NpgsqlDbType.Double));
    }

    public static NpgsqlBatchCommand InsertEvents(IReadOnlyList<SweepEventRecord> events) =>
        Command(
            """
            INSERT INTO sweep_events (sweep_id, sequence, kind, payload_json, time)
            SELECT u.sweep_id, u.sequence, u.kind, u.payload::jsonb, u.time
            FROM unnest($1::uuid[], $2::bigint[], $3::text[], $4::text[], $5::timestamptz[]) AS u(sweep_id, sequence, kind, payload, time)
            """,
            Value(events.Select(e => e.SweepId).ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Uuid),
            Value(events.Select(e => e.Sequence).ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Bigint),
            Value(events.Select(e => e.Kind).ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Text),
            Value(events.Select(e => e.PayloadJson).ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Text),
            Value(events.Select(e => e.Time).ToArray(), NpgsqlDbType.Array | NpgsqlDbType.TimestampTz));

    private static NpgsqlBatchCommand Command(string sql, params NpgsqlParameter[] parameters)
    {
        var command = new NpgsqlBatchCommand(sql);
        command.Parameters.AddRange(parameters);
        return command;
    }

    private static NpgsqlParameter Value(object? value, NpgsqlDbType type) =>
        new() { NpgsqlDbType = type, Value = value ?? DBNull.Value };
}
