using RnnLab.Contracts.V1;

namespace RnnLab.Server.Tests;

[Collection(ServerCollection.Name)]
public sealed class CliTests(ServerFixture fixture)
{
    private Dictionary<string, string> Environment => new() { ["RNNLAB_SERVER"] = fixture.Server.Address.ToString() };

    [Fact]
    public async Task Submit_watch_and_read_a_sweep_through_the_cli_as_json()
    {
        var file = Path.Combine(Path.GetTempPath(), $"cli-{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(file, Specs.Quadratic("cli", trials: 3, epochs: 2));

        var submit = await CliRunner.RunAsync(Environment, "submit", file, "--json");
        Assert.True(submit.ExitCode == 0, submit.ToString());
        Assert.True(submit.Json["created"]!.GetValue<bool>());
        var id = submit.Json["sweep"]!["id"]!.GetValue<string>();

        // --server wins over RNNLAB_SERVER.
        var watch = await CliRunner.RunAsync(new Dictionary<string, string> { ["RNNLAB_SERVER"] = "http://127.0.0.1:1" }, "watch", id, "--json", "--server", fixture.Server.Address.ToString());
        Assert.True(watch.ExitCode == 0, watch.ToString());
        var lines = watch.JsonLines;
        Assert.Equal(id, lines[0]["snapshot"]!["sweep"]!["id"]!.GetValue<string>());
        var events = lines.Skip(1).SkipLast(1).Select(l => long.Parse(l["event"]!["sequence"]!.GetValue<string>())).ToList();
        Assert.Equal(events.Order(), events);
        Assert.Equal("SWEEP_STATE_COMPLETED", lines[^1]["state"]!.GetValue<string>());

        var show = await CliRunner.RunAsync(Environment, "show", id, "--json");
        Assert.Equal(3, show.Json["trials"]!["completed"]!.GetValue<int>());

        var ls = await CliRunner.RunAsync(Environment, "ls", "--json", "--state", "completed");
        Assert.Contains(ls.Json["sweeps"]!.AsArray(), s => s!["id"]!.GetValue<string>() == id);

        var trials = await CliRunner.RunAsync(Environment, "trials", id, "--json", "--order", "objective", "--cell", "lstm");
        var listed = trials.Json["trials"]!.AsArray();
        Assert.Single(listed);
        Assert.Equal("lstm", listed[0]!["cell"]!.GetValue<string>());

        var analyze = await CliRunner.RunAsync(Environment, "analyze", id, "--json", "--top", "2");
        Assert.Equal(2, analyze.Json["leaderboard"]!.AsArray().Count);
        Assert.Equal(3, analyze.Json["finishedTrials"]!.GetValue<int>());

        var export = await CliRunner.RunAsync(Environment, "export", id);
        Assert.Equal(4, export.Stdout.Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Length);

        var cancel = await CliRunner.RunAsync(Environment, "cancel", id, "--json");
        Assert.Equal(4, cancel.ExitCode);
        Assert.Equal("FailedPrecondition", cancel.Json["error"]!["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task Cli_errors_have_exit_codes_and_json_with_field_paths()
    {
        var missing = await CliRunner.RunAsync(Environment, "show", Guid.NewGuid().ToString(), "--json");
        Assert.Equal(3, missing.ExitCode);
        Assert.Equal("NotFound", missing.Json["error"]!["code"]!.GetValue<string>());

        var file = Path.Combine(Path.GetTempPath(), $"cli-bad-{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(file, Specs.Quadratic("cli-bad").Replace("trials: 9", "trials: -4"));
        var invalid = await CliRunner.RunAsync(Environment, "submit", file, "--json");
        Assert.Equal(2, invalid.ExitCode);
        Assert.Contains(invalid.Json["error"]!["violations"]!.AsArray(), v => v!["field"]!.GetValue<string>() == "budget.trials");

        var down = await CliRunner.RunAsync(new Dictionary<string, string> { ["RNNLAB_SERVER"] = "http://127.0.0.1:1" }, "ls");
        Assert.Equal(7, down.ExitCode);
        Assert.Contains("does not answer", down.Stderr, StringComparison.Ordinal);
    }
}
