using Orleans.TestingHost;
using RnnLab.Storage;
using RnnLab.Storage.Tests;

namespace RnnLab.Grains.Tests;

/// <summary>A fresh PostgreSQL database, migrated, and a three-silo cluster on it.</summary>
public class ClusterFixture : IAsyncLifetime
{
    public string ConnectionString { get; private set; } = "";

    public RnnLabStores Stores { get; private set; } = null!;

    public TestCluster Cluster { get; private set; } = null!;

    public SweepClient Client { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        ConnectionString = await TestPostgres.CreateDatabaseAsync("rnnlab_grains");
        var database = new RnnLabDatabase(new StorageOptions { Provider = StorageProvider.Postgres, ConnectionString = ConnectionString });
        await database.MigrateAsync();
        Stores = database.CreateStores();
        await StartClusterAsync();
    }

    /// <summary>Starts a new cluster on the same database (the restarted host).</summary>
    public async Task StartClusterAsync()
    {
        Cluster = TestSilo.Build(ConnectionString);
        await Cluster.DeployAsync();
        Client = new SweepClient(Cluster.Client, Stores.Sweeps);
    }

    public async Task StopClusterAsync()
    {
        await Cluster.StopAllSilosAsync();
        await Cluster.DisposeAsync();
    }

    public async Task DisposeAsync()
    {
        await StopClusterAsync();
        await TestPostgres.DropDatabaseAsync(ConnectionString);
    }
}

[CollectionDefinition(Name)]
public sealed class SharedClusterCollection : ICollectionFixture<ClusterFixture>
{
    public const string Name = "shared cluster";
}
