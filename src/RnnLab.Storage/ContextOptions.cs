using Microsoft.EntityFrameworkCore;

namespace RnnLab.Storage;

internal static class ContextOptions
{
    public static DbContextOptions<PostgresRnnLabDbContext> ForPostgres(string connectionString) =>
        new DbContextOptionsBuilder<PostgresRnnLabDbContext>()
            .UseNpgsql(connectionString)
            .UseSnakeCaseNamingConvention()
            .Options;

    public static DbContextOptions<SqliteRnnLabDbContext> ForSqlite(string connectionString) =>
        new DbContextOptionsBuilder<SqliteRnnLabDbContext>()
            .UseSqlite(connectionString)
            .UseSnakeCaseNamingConvention()
            .Options;
}
