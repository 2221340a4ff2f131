using Microsoft.EntityFrameworkCore;

namespace RnnLab.Storage;

/// <summary>The model on PostgreSQL; migrations live in Migrations/Postgres.</summary>
public sealed class PostgresRnnLabDbContext(DbContextOptions<PostgresRnnLabDbContext> options) : RnnLabDbContext(options)
{
    protected override string JsonColumnType => "jsonb";

    internal override StorageProvider Provider => StorageProvider.Postgres;
}
