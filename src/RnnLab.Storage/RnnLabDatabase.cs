using Microsoft.EntityFrameworkCore;
using RnnLab.Storage.Postgres;

namespace RnnLab.Storage;

/// <summary>One configured database: creates contexts of the right provider and applies its migrations.</summary>
public sealed class RnnLabDatabase
{
    private readonly DbContextOptions<PostgresRnnLabDbContext>? _postgres;
    private readonly DbContextOptions<SqliteRnnLabDbContext>? _sqlite;

    public RnnLabDatabase(StorageOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Provider = options.Provider;
        ConnectionString = options.ConnectionString;
        if (Provider == StorageProvider.Postgres)
        {
            _postgres = ContextOptions.ForPostgres(options.ConnectionString);
            Batcher = new CommandBatcher(options.ConnectionString);
        }
        else
        {
            _sqlite = ContextOptions.ForSqlite(options.ConnectionString);
        }
    }

    private readonly SemaphoreSlim _sqliteWriter = new(1, 1);

    public StorageProvider Provider { get; }

    public string ConnectionString { get; }

    /// <summary>Groups concurrent small writes into one round trip and transaction; null on SQLite.</summary>
    internal CommandBatcher? Batcher { get; }

    public RnnLabDbContext CreateContext() => Provider == StorageProvider.Postgres
        ? new PostgresRnnLabDbContext(_postgres!)
        : new SqliteRnnLabDbContext(_sqlite!);

    /// <summary>
    /// Serialises this process's writes on SQLite, which allows one writer at a time: waiting here is cheaper than
    /// SQLite's busy retries. A no-op on PostgreSQL.
    /// </summary>
    internal async ValueTask<IDisposable?> WriteLockAsync(CancellationToken cancellationToken)
    {
        if (Provider != StorageProvider.Sqlite)
        {
            return null;
        }

        await _sqliteWriter.WaitAsync(cancellationToken);
        return new Releaser(_sqliteWriter);
    }

    private sealed class Releaser(SemaphoreSlim semaphore) : IDisposable
    {
        public void Dispose() => semaphore.Release();
    }

    /// <summary>Creates the database if needed and applies every pending migration of this provider.</summary>
    public async Task MigrateAsync(CancellationToken cancellationToken = default)
    {
        await using var context = CreateContext();
        if (Provider == StorageProvider.Postgres)
        {
            // Processes that start together (an api and its workers) would otherwise each apply the same migration;
            // a session-level advisory lock lets one migrate while the others wait, then find nothing left to do.
            await context.Database.OpenConnectionAsync(cancellationToken);
            await context.Database.ExecuteSqlRawAsync("SELECT pg_advisory_lock(7262730617)", cancellationToken);
            try
            {
                await context.Database.MigrateAsync(cancellationToken);
            }
            finally
            {
                await context.Database.ExecuteSqlRawAsync("SELECT pg_advisory_unlock(7262730617)", CancellationToken.None);
                await context.Database.CloseConnectionAsync();
            }

            return;
        }

        await context.Database.MigrateAsync(cancellationToken);
        if (Provider == StorageProvider.Sqlite)
        {
            // WAL lets readers (API, watchers) proceed while a worker writes; it persists in the file.
            await context.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
        }
    }
}
