using Npgsql;
using Orleans.Runtime;

namespace RnnLab.Server.Hosting;

/// <summary>
/// Creates the PostgreSQL membership tables and the queries Orleans' clustering provider reads before the silo joins,
/// once per database: processes starting together serialise on an advisory lock, and the script runs only while the
/// member table is missing.
/// </summary>
internal sealed class PostgresClusteringSchema(string connectionString, ILogger<PostgresClusteringSchema> logger)
    : ILifecycleParticipant<ISiloLifecycle>
{
    // An arbitrary key shared by every RnnLab process; it only has to differ from other advisory locks on the database.
    private const long LockKey = 0x526E_6E4C_6162_0001;
    private const string Script = "orleans-clustering-postgres.sql";

    public void Participate(ISiloLifecycle lifecycle) =>
        // Membership is read from RuntimeInitialize on, so the tables must exist before anything else starts.
        lifecycle.Subscribe(nameof(PostgresClusteringSchema), ServiceLifecycleStage.First, EnsureCreatedAsync);

    public async Task EnsureCreatedAsync(CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await ExecuteAsync(connection, transaction, $"SELECT pg_advisory_xact_lock({LockKey})", cancellationToken);

        await using (var exists = new NpgsqlCommand("SELECT to_regclass('rnnlab_cluster_member') IS NOT NULL", connection, transaction))
        {
            if ((bool)(await exists.ExecuteScalarAsync(cancellationToken))!)
            {
                return;
            }
        }

        await ExecuteAsync(connection, transaction, ReadScript(Script), cancellationToken);

        await transaction.CommitAsync(cancellationToken);
        logger.LogInformation("Created the Orleans membership tables");
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static string ReadScript(string name)
    {
        using var stream = typeof(PostgresClusteringSchema).Assembly.GetManifestResourceStream($"RnnLab.Server.Sql.{name}")
            ?? throw new InvalidOperationException($"The embedded script {name} is missing from the server assembly.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
