using Microsoft.EntityFrameworkCore;

namespace RnnLab.Storage;

/// <summary>The model on SQLite (the embedded default); migrations live in Migrations/Sqlite.</summary>
public sealed class SqliteRnnLabDbContext(DbContextOptions<SqliteRnnLabDbContext> options) : RnnLabDbContext(options)
{
    protected override string JsonColumnType => "TEXT";

    internal override StorageProvider Provider => StorageProvider.Sqlite;

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // SQLite keeps no time zone; every time we write is UTC, so say so when reading it back.
        configurationBuilder.Properties<DateTime>().HaveConversion<UtcDateTimeConverter>();
    }
}
