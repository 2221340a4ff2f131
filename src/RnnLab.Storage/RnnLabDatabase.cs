using Microsoft.EntityFrameworkCore;

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
        }
        else
        {
            _sqlite = ContextOptions.ForSqlite(options.ConnectionString);
        }
    }

    public StorageProvider Provider { get; }

    public string ConnectionString { get; }

    public RnnLabDbContext CreateContext() => Provider == StorageProvider.Postgres
        ? new PostgresRnnLabDbContext(_postgres!)
        : new SqliteRnnLabDbContext(_sqlite!);

    /// <summary>Creates the database if needed and applies every pending migration of this provider.</summary>
    public async Task MigrateAsync(CancellationToken cancellationToken = default)
    {
        await using var context = CreateContext();
        await context.Database.MigrateAsync(cancellationToken);
        if (Provider == StorageProvider.Sqlite)
        {
            // WAL lets readers (API, watchers) proceed while a worker writes; it persists in the file.
            await context.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
        }
    }
}
