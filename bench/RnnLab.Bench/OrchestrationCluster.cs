using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using RnnLab.Grains;
using RnnLab.Grains.Hosting;
using RnnLab.Grains.Workers;
using RnnLab.Storage;

namespace RnnLab.Bench;

/// <summary>An in-process cluster for the bench: the first silo has every role, the others are workers only.</summary>
internal sealed class OrchestrationCluster : IAsyncDisposable
{
    private readonly List<IHost> _hosts = [];

    private OrchestrationCluster()
    {
    }

    public SweepClient Client => _hosts[0].Services.GetRequiredService<SweepClient>();

    public IEnumerable<SlotUsage> Usage => _hosts.Select(h => h.Services.GetRequiredService<SlotUsage>());

    public static async Task<OrchestrationCluster> StartAsync(string connectionString, int silos, int slotsPerSilo, string? dataDirectory = null)
    {
        var cluster = new OrchestrationCluster();
        var basePort = 21_000 + Random.Shared.Next(0, 2000) * 4;
        for (var i = 0; i < silos; i++)
        {
            var builder = Host.CreateApplicationBuilder();
            builder.Logging.ClearProviders();
            var index = i;
            builder.UseOrleans(silo =>
            {
                silo.UseLocalhostClustering(basePort + index, basePort + 1000 + index, new IPEndPoint(IPAddress.Loopback, basePort));
                silo.AddRnnLab(new OrchestrationOptions
                {
                    Role = index == 0 ? SiloRole.All : SiloRole.Worker,
                    Storage = new StorageOptions { Provider = StorageProvider.Postgres, ConnectionString = connectionString },
                    Slots = slotsPerSilo,
                    BenchmarkTasks = true,
                    DataDirectory = dataDirectory,
                });
            });
            var host = builder.Build();
            await host.StartAsync();
            cluster._hosts.Add(host);
        }

        return cluster;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var host in Enumerable.Reverse(_hosts))
        {
            await host.StopAsync();
            host.Dispose();
        }
    }
}
