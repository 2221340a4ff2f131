using RnnLab.Sweeps.Trials;
using RnnLab.Storage;
using RnnLab.Storage.Tests;

namespace RnnLab.Grains.Tests;

/// <summary>The database goes away mid-sweep and comes back: nothing may stay Running without a lease for good.</summary>
public sealed class DatabaseOutageTests : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(120);
    private string _connectionString = "";
    private DatabaseOutage _outage = null!;
    private Orleans.TestingHost.TestCluster _cluster = null!;
    private RnnLabStores _stores = null!;
    private SweepClient _client = null!;

    public async Task InitializeAsync()
    {
        _connectionString = await TestPostgres.CreateDatabaseAsync("rnnlab_outage");
        var database = new RnnLabDatabase(new StorageOptions { Provider = StorageProvider.Postgres, ConnectionString = _connectionString });
        await database.MigrateAsync();
        _stores = database.CreateStores();
        _outage = new DatabaseOutage(_connectionString);
        _cluster = TestSilo.Build(_outage.RelayedConnectionString, silos: 2);
        await _cluster.DeployAsync();
        _client = new SweepClient(_cluster.Client, _stores.Sweeps);
    }

    [Fact]
    public async Task Trials_running_when_the_database_goes_down_for_longer_than_a_lease_all_complete_once_it_is_back()
    {
        var submitted = await _client.SubmitAsync(Specs.Quadratic("outage", trials: 4, parallelism: 4, epochs: 40, delayMs: 50));
        await Waits.UntilAsync(
            async () => (await _stores.Trials.ListAsync(submitted.SweepId)).Count(t => t.State == TrialState.Running),
            running => running >= 2, Timeout, "trials to run");

        // Down for several leases (3 s each): results, requeues and lease expiries all fail meanwhile.
        _outage.TakeDown();
        await Task.Delay(TimeSpan.FromSeconds(12));
        _outage.BringBack();

        SweepRecord? sweep;
        try
        {
            sweep = await Waits.UntilAsync(() => _stores.Sweeps.GetAsync(submitted.SweepId), s => s!.State != SweepState.Running, Timeout, "the sweep to finish");
        }
        catch (TimeoutException)
        {
            var stuck = await _stores.Trials.ListAsync(submitted.SweepId);
            throw new TimeoutException("the sweep did not finish; trials: " + string.Join("; ", stuck.Select(t =>
                $"{t.Number} {t.State} attempt {t.Attempt} on {t.Worker} lease {t.LeaseExpiresAt:HH:mm:ss} (now {DateTime.UtcNow:HH:mm:ss})")));
        }

        var trials = await _stores.Trials.ListAsync(submitted.SweepId);
        Assert.Equal(SweepState.Completed, sweep!.State);
        Assert.All(trials, t => Assert.Equal(TrialState.Completed, t.State));
        foreach (var trial in trials)
        {
            var points = await _stores.Metrics.ReadAsync(trial.Id);
            Assert.Equal(Enumerable.Range(1, 40), points.Where(p => p.Name == "objective").Select(p => p.Epoch).Order());
        }
    }

    public async Task DisposeAsync()
    {
        await _cluster.StopAllSilosAsync();
        await _cluster.DisposeAsync();
        await _outage.DisposeAsync();
        await TestPostgres.DropDatabaseAsync(_connectionString);
    }
}
