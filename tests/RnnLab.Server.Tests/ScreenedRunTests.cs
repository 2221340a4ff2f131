using System.Text.Json;
using RnnLab.Storage;
using RnnLab.Sweeps.Trials;

namespace RnnLab.Server.Tests;

public sealed class ScreenedRunTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("rnnlab-screen-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task A_sweep_on_the_embedded_default_prunes_the_candidates_its_screen_rejects()
    {
        // Two trials that differ only in the screen's threshold: no network reaches an mse of 1e-9 on the screen, every
        // one reaches 100.
        var spec = Path.Combine(_dir, "screened.yaml");
        File.WriteAllText(spec, """
            name: screened
            task:
              name: adding
              options: { length: 6, train_size: 64, eval_size: 32, data_seed: 1 }
            metric: { name: valid.mse, direction: minimize }
            fixed: { cell: gru, hidden: 4, batch: 16, epochs: 1, patience: 0, seed: 1, screen_task: copy, screen_length: 4, screen_size: 32 }
            search:
              sampler: { type: grid }
              space:
                screen_threshold: { categorical: [1e-9, 100] }
            budget: { trials: 2, parallelism: 1 }
            retries: 0
            seed: 1
            """);

        var database = Path.Combine(_dir, "sweeps.db");
        var run = await CliRunner.RunAsync(new Dictionary<string, string>(), "run", spec, "--json", "--db", database);

        Assert.True(run.ExitCode == 0, run.ToString());
        using var json = JsonDocument.Parse(run.Stdout);
        var trials = json.RootElement.GetProperty("sweep").GetProperty("trials");
        Assert.Equal(1, trials.GetProperty("pruned").GetInt32());
        Assert.Equal(1, trials.GetProperty("completed").GetInt32());
        var leader = Assert.Single(json.RootElement.GetProperty("analysis").GetProperty("leaderboard").EnumerateArray());
        Assert.Contains("100", leader.GetRawText());

        // The pruned trial says why it stopped before its main training.
        var stores = new RnnLabDatabase(new StorageOptions { ConnectionString = $"Data Source={database}", MigrateOnStartup = false }).CreateStores();
        var sweep = Assert.Single((await stores.Sweeps.ListAsync([], 0, 10)).Items);
        var pruned = Assert.Single(await stores.Trials.ListAsync(sweep.Id), t => t.State == TrialState.Pruned);
        Assert.StartsWith("screened out: screen.valid.xent", pruned.Error);
        Assert.Contains("above the threshold 1E-09", pruned.Error);
    }
}
