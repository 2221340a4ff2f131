namespace RnnLab.Storage.Tests;

/// <summary>A freshly migrated database of one provider, shared by one test class.</summary>
public abstract class StoreFixture : IAsyncLifetime
{
    private RnnLabDatabase? _database;

    public RnnLabDatabase Database => _database ?? throw new InvalidOperationException("Fixture not initialised.");

    public RnnLabStores Stores { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _database = new RnnLabDatabase(await CreateOptionsAsync());
        await _database.MigrateAsync();
        Stores = _database.CreateStores();
    }

    public virtual Task DisposeAsync() => Task.CompletedTask;

    protected abstract Task<StorageOptions> CreateOptionsAsync();

    /// <summary>Fails unless the error is this provider's report of a missing referenced row.</summary>
    public abstract void AssertForeignKeyViolation(Exception error);
}

/// <summary>A temporary SQLite file.</summary>
public sealed class SqliteStoreFixture : StoreFixture
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"rnnlab-store-{Guid.NewGuid():N}.db");

    public override Task DisposeAsync()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        foreach (var file in new[] { _path, _path + "-wal", _path + "-shm" })
        {
            File.Delete(file);
        }

        return Task.CompletedTask;
    }

    public override void AssertForeignKeyViolation(Exception error)
    {
        var sqlite = Assert.IsType<Microsoft.Data.Sqlite.SqliteException>(Assert.IsType<Microsoft.EntityFrameworkCore.DbUpdateException>(Assert.IsType<StorageConflictException>(error).InnerException).InnerException);
        Assert.Contains("FOREIGN KEY", sqlite.Message);
    }

    protected override Task<StorageOptions> CreateOptionsAsync() => Task.FromResult(new StorageOptions
    {
        Provider = StorageProvider.Sqlite,
        ConnectionString = $"Data Source={_path}",
    });
}

/// <summary>A new database on the real test PostgreSQL server, dropped afterwards.</summary>
public sealed class PostgresStoreFixture : StoreFixture
{
    private string? _connectionString;

    public override async Task DisposeAsync()
    {
        if (_connectionString is not null)
        {
            await TestPostgres.DropDatabaseAsync(_connectionString);
        }
    }

    public override void AssertForeignKeyViolation(Exception error) =>
        Assert.Equal(Npgsql.PostgresErrorCodes.ForeignKeyViolation, Assert.IsType<Npgsql.PostgresException>(Assert.IsType<StorageConflictException>(error).InnerException).SqlState);

    protected override async Task<StorageOptions> CreateOptionsAsync()
    {
        _connectionString = await TestPostgres.CreateDatabaseAsync("rnnlab_store");
        return new StorageOptions { Provider = StorageProvider.Postgres, ConnectionString = _connectionString };
    }
}
