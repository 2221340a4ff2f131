using RnnLab.Sweeps.Trials;
using Microsoft.Data.Sqlite;
using RnnLab.Storage;

namespace RnnLab.Grains.Tests;

/// <summary>The embedded default: one silo on a SQLite file, as `rnnlab run` uses it.</summary>
public sealed class EmbeddedSqliteTests
{
    [Fact]
    public async Task A_sweep_completes_on_a_sqlite_file()
    {
        var path = Path.Combine(Path.GetTempPath(), $"rnnlab-embedded-{Guid.NewGuid():N}.db");
        var connection = $"Data Source={path}";
        var cluster = TestSilo.Build(connection, silos: 1, provider: StorageProvider.Sqlite);
        try
        {
            await cluster.DeployAsync();
            var stores = new RnnLabDatabase(new StorageOptions { Provider = StorageProvider.Sqlite, ConnectionString = connection }).CreateStores();
            var client = new SweepClient(cluster.Client, stores.Sweeps);

            var submitted = await client.SubmitAsync(Specs.Quadratic("embedded", trials: 6, parallelism: 3, epochs: 4, delayMs: 5));
            var events = await Waits.WatchUntilAsync(client, submitted.SweepId, e => e.Kind == SweepEventKinds.SweepFinished, TimeSpan.FromSeconds(60));
            var trials = await stores.Trials.ListAsync(submitted.SweepId);

            Assert.Equal(SweepState.Completed, events[^1].SweepState);
            Assert.Equal(6, trials.Count);
            Assert.All(trials, t => Assert.Equal(TrialState.Completed, t.State));
            Assert.Equal(6, events.Count(e => e.Kind == SweepEventKinds.TrialFinished));
            foreach (var trial in trials)
            {
                Assert.Equal([1, 2, 3, 4], (await stores.Metrics.ReadAsync(trial.Id)).Select(p => p.Epoch));
            }
        }
        finally
        {
            await cluster.StopAllSilosAsync();
            await cluster.DisposeAsync();
            SqliteConnection.ClearAllPools();
            foreach (var file in new[] { path, path + "-wal", path + "-shm" })
            {
                File.Delete(file);
            }
        }
    }
}
