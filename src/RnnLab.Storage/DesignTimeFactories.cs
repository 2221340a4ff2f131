using Microsoft.EntityFrameworkCore.Design;

namespace RnnLab.Storage;

/// <summary>Lets `dotnet ef migrations add --context PostgresRnnLabDbContext` build the model without a host.</summary>
internal sealed class PostgresDesignTimeFactory : IDesignTimeDbContextFactory<PostgresRnnLabDbContext>
{
    public PostgresRnnLabDbContext CreateDbContext(string[] args) =>
        new(ContextOptions.ForPostgres("Host=localhost;Database=rnnlab_design"));
}

/// <summary>Lets `dotnet ef migrations add --context SqliteRnnLabDbContext` build the model without a host.</summary>
internal sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<SqliteRnnLabDbContext>
{
    public SqliteRnnLabDbContext CreateDbContext(string[] args) =>
        new(ContextOptions.ForSqlite("Data Source=rnnlab_design.db"));
}
