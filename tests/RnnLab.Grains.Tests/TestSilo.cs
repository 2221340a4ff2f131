using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Configuration;
using Orleans.TestingHost;
using RnnLab.Grains.Hosting;
using RnnLab.Storage;

namespace RnnLab.Grains.Tests;

/// <summary>Configures every test silo: RnnLab on the test's PostgreSQL database, short leases, fast death detection.</summary>
public sealed class TestSilo : ISiloConfigurator
{
    public const string ConnectionKey = "RnnLab:ConnectionString";
    public const string ProviderKey = "RnnLab:Provider";

    public void Configure(ISiloBuilder siloBuilder)
    {
        var connection = siloBuilder.Configuration[ConnectionKey]
            ?? throw new InvalidOperationException($"{ConnectionKey} is not configured for the test silo.");
        siloBuilder.Configure<ClusterMembershipOptions>(o =>
        {
            o.ProbeTimeout = TimeSpan.FromMilliseconds(500);
            o.NumMissedProbesLimit = 2;
            o.NumVotesForDeathDeclaration = 1;
            o.TableRefreshTimeout = TimeSpan.FromSeconds(1);
        });
        siloBuilder.AddRnnLab(new OrchestrationOptions
        {
            Storage = new StorageOptions
            {
                Provider = Enum.Parse<StorageProvider>(siloBuilder.Configuration[ProviderKey] ?? nameof(StorageProvider.Postgres)),
                ConnectionString = connection,
            },
            Slots = 2,
            BenchmarkTasks = true,
            LeaseDuration = TimeSpan.FromSeconds(3),
            CheckpointEvery = 2,
            RetryBackoff = TimeSpan.FromMilliseconds(100),
        });
    }

    /// <summary>A cluster of <paramref name="silos"/> silos on the given database.</summary>
    public static TestCluster Build(string connectionString, short silos = 3, StorageProvider provider = StorageProvider.Postgres)
    {
        var builder = new TestClusterBuilder(silos);
        builder.ConfigureHostConfiguration(c => c.AddInMemoryCollection(new Dictionary<string, string?>
        {
            [ConnectionKey] = connectionString,
            [ProviderKey] = provider.ToString(),
        }));
        builder.AddSiloBuilderConfigurator<TestSilo>();
        return builder.Build();
    }

    public static T Service<T>(InProcessSiloHandle silo) where T : notnull => silo.SiloHost.Services.GetRequiredService<T>();
}
