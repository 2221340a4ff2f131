using RnnLab.Sweeps.Trials;
using System.Diagnostics;
using RnnLab.Storage;

namespace RnnLab.Server.Tests;

/// <summary><c>rnnlab run</c> interrupted with Ctrl-C (SIGINT) and run again: the sweep pauses, then resumes to its
/// budget without training any finished trial twice.</summary>
public sealed class InterruptedRunTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("rnnlab-interrupt-").FullName;

    private string Database => Path.Combine(_folder, "rnnlab.db");

    [Fact]
    public async Task Ctrl_c_pauses_and_running_the_same_spec_again_finishes_it_keeping_finished_trials()
    {
        var spec = Path.Combine(_folder, "sweep.yaml");
        await File.WriteAllTextAsync(spec, Specs.Quadratic("interrupted", trials: 12, epochs: 2, delayMs: 500, parallelism: 2));
        var stores = new RnnLabDatabase(new StorageOptions { ConnectionString = $"Data Source={Database}", MigrateOnStartup = false }).CreateStores();

        var output = new System.Text.StringBuilder();
        using (var first = Start(spec, output))
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
            while (await CompletedAsync(stores) < 3)
            {
                Assert.False(first.HasExited, "the run ended before it was interrupted");
                await Task.Delay(200, timeout.Token);
            }

            using (var kill = Process.Start("kill", ["-INT", first.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            {
                await kill.WaitForExitAsync();
            }

            await first.WaitForExitAsync(timeout.Token);
            first.WaitForExit(); // drains the output readers
            Assert.True(first.ExitCode == 130, $"exit {first.ExitCode}: {output}");
            Assert.Contains("paused sweep", output.ToString());
        }

        var sweep = Assert.Single((await stores.Sweeps.ListAsync([], 0, 10)).Items);
        Assert.Equal(SweepState.Paused, sweep.State);
        var finishedBefore = (await stores.Trials.ListAsync(sweep.Id)).Where(t => t.State == TrialState.Completed).ToList();
        Assert.InRange(finishedBefore.Count, 3, 11);

        var again = await CliRunner.RunAsync(new Dictionary<string, string> { ["RNNLAB_BENCHMARKTASKS"] = "true" }, "run", spec, "--db", Database);

        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Contains("resuming sweep", again.Stdout);
        var resumed = Assert.Single((await stores.Sweeps.ListAsync([], 0, 10)).Items);
        Assert.Equal(SweepState.Completed, resumed.State);
        var trials = await stores.Trials.ListAsync(sweep.Id);
        Assert.Equal(12, trials.Count);
        Assert.All(trials, t => Assert.Equal(TrialState.Completed, t.State));
        foreach (var before in finishedBefore)
        {
            var after = Assert.Single(trials, t => t.Id == before.Id);
            Assert.Equal((before.Attempt, before.FinishedAt, before.Objective), (after.Attempt, after.FinishedAt, after.Objective));
        }
    }

    [Fact]
    public async Task A_changed_spec_with_the_name_of_an_unfinished_sweep_is_refused_with_the_difference_and_new_starts_over()
    {
        var spec = Path.Combine(_folder, "sweep.yaml");
        await File.WriteAllTextAsync(spec, Specs.Quadratic("changed", trials: 2, epochs: 1));
        var database = new RnnLabDatabase(new StorageOptions { ConnectionString = $"Data Source={Database}", MigrateOnStartup = false });
        var stores = database.CreateStores();
        // An unfinished sweep of that name, as a paused run would leave it.
        await database.MigrateAsync();
        var (paused, _) = await stores.Sweeps.CreateAsync(new NewSweep("changed", Specs.Quadratic("changed", trials: 2, epochs: 3)));
        await stores.Sweeps.SetStateAsync(paused.Id, SweepState.Paused, null);

        var refused = await CliRunner.RunAsync(new Dictionary<string, string>(), "run", spec, "--db", Database);
        var fresh = await CliRunner.RunAsync(new Dictionary<string, string>(), "run", spec, "--db", Database, "--new");

        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("different spec", refused.Stderr + refused.Stdout);
        Assert.Contains("epochs: 3", refused.Stderr + refused.Stdout);
        Assert.Contains("--new", refused.Stderr + refused.Stdout);
        Assert.True(fresh.ExitCode == 0, fresh.ToString());
        Assert.Equal(2, (await stores.Sweeps.ListAsync([], 0, 10)).Total);
    }

    private Process Start(string spec, System.Text.StringBuilder output)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { Path.Combine(AppContext.BaseDirectory, "rnnlab.dll"), "run", spec, "--db", Database })
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["RNNLAB_BENCHMARKTASKS"] = "true"; // the spec sweeps the analytic quadratic task
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.ErrorDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static async Task<int> CompletedAsync(RnnLabStores stores)
    {
        try
        {
            var sweeps = (await stores.Sweeps.ListAsync([], 0, 10)).Items;
            return sweeps.Count == 0 ? 0 : (await stores.Trials.ListAsync(sweeps[0].Id, TrialState.Completed)).Count;
        }
        catch (Exception exception) when (exception is Microsoft.Data.Sqlite.SqliteException or InvalidOperationException)
        {
            return 0; // the file or its tables do not exist yet
        }
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
