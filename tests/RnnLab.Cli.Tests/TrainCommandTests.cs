using RnnLab.CellGraphs;
using System.Text.Json;
using RnnLab.Models;
using TorchSharp;

namespace RnnLab.Cli.Tests;

[Collection("cli")]
public sealed class TrainCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("rnnlab-cli-").FullName;

    public TrainCommandTests() => torch.set_num_threads(1);

    [Fact]
    public void JsonModePrintsExactlyOneObjectWithTheFinalMetrics()
    {
        var checkpoint = Path.Combine(_dir, "adding.ckpt");

        var (code, output, _) = CliRun.Run(
            "train", "--task", "adding", "-o", "length=8", "-o", "train_size=128", "-o", "eval_size=64",
            "--cell", "gru", "--hidden", "8", "--epochs", "2", "--json", "--checkpoint", checkpoint);

        Assert.Equal(0, code);
        using var json = JsonDocument.Parse(output);
        Assert.Equal("completed", json.RootElement.GetProperty("state").GetString());
        Assert.Equal(2, json.RootElement.GetProperty("epochs_run").GetInt32());
        Assert.True(json.RootElement.GetProperty("valid.mse").GetDouble() > 0);
        Assert.True(json.RootElement.GetProperty("test.mse").GetDouble() > 0);
        Assert.True(File.Exists(checkpoint));
    }

    [Fact]
    public void MusicFileByPathReportsValidAndTestNll()
    {
        var copy = Path.Combine(_dir, "chorales.json");
        File.Copy(Path.Combine(DataDirectory(), "jsb-chorales-quarter.json"), copy);

        var (code, output, _) = CliRun.Run(
            "train", "--task", copy, "--cell", "lstm", "--hidden", "8", "--epochs", "1", "--json", "--checkpoint", Path.Combine(_dir, "m.ckpt"));

        Assert.Equal(0, code);
        using var json = JsonDocument.Parse(output);
        Assert.InRange(json.RootElement.GetProperty("valid.nll").GetDouble(), 5, 70);
        Assert.InRange(json.RootElement.GetProperty("test.nll").GetDouble(), 5, 70);
    }

    [Fact]
    public void ResumeContinuesTheSavedTrial()
    {
        var checkpoint = Path.Combine(_dir, "resume.ckpt");
        string[] task = ["--task", "adding", "-o", "length=6", "-o", "train_size=64", "-o", "eval_size=32", "--hidden", "6"];
        Assert.Equal(0, CliRun.Run(["train", .. task, "--epochs", "1", "--json", "--checkpoint", checkpoint]).ExitCode);

        var (code, output, _) = CliRun.Run("train", "--resume", "--checkpoint", checkpoint, "--epochs", "2", "--json");

        Assert.Equal(0, code);
        using var json = JsonDocument.Parse(output);
        Assert.Equal(2, json.RootElement.GetProperty("epochs_run").GetInt32());
    }

    [Fact]
    public void YamlFileSuppliesTheTrial()
    {
        var file = Path.Combine(_dir, "trial.yaml");
        File.WriteAllText(file, "task: copy\ntask_options:\n  length: 5\n  symbols: 2\n  train_size: 64\ncell: rnn-tanh\nhidden: 6\nepochs: 1\n");

        var (code, output, _) = CliRun.Run("train", "--config", file, "--json", "--checkpoint", Path.Combine(_dir, "y.ckpt"));

        Assert.Equal(0, code);
        using var json = JsonDocument.Parse(output);
        Assert.Equal("rnn-tanh", json.RootElement.GetProperty("cell").GetString());
        Assert.True(json.RootElement.TryGetProperty("test.xent", out _));
    }

    [Fact]
    public void UnknownCellIsAUsageErrorListingTheCells()
    {
        var (code, output, error) = CliRun.Run("train", "--task", "adding", "--cell", "lstn");

        Assert.NotEqual(0, code);
        Assert.Contains("lstn", output + error);
        Assert.Contains(string.Join(", ", CellNames.All), (output + error).ReplaceLineEndings(" ").Replace("  ", " "));
    }

    [Fact]
    public void UnknownTaskNamesTheBuiltIns()
    {
        var (code, _, error) = CliRun.Run("train", "--task", "no-such-task", "--json");

        Assert.Equal(2, code);
        Assert.Contains("jsb-chorales, tinyshakespeare, adding, copy", error);
    }

    [Fact]
    public void A_bidirectional_network_on_a_next_step_task_is_refused_before_training()
    {
        var (code, output, error) = CliRun.Run("train", "--task", "jsb-chorales", "--cell", "lstm", "--hidden", "8", "--epochs", "1",
            "--bidirectional", "--json", "--checkpoint", Path.Combine(_dir, "leak.ckpt"));

        Assert.Equal(2, code);
        Assert.Contains("predicts the next step", (output + error).ReplaceLineEndings(" "));
        Assert.False(File.Exists(Path.Combine(_dir, "leak.ckpt")));
    }

    internal static string DataDirectory() =>
        Environment.GetEnvironmentVariable("RNNLAB_DATA_DIR") is { Length: > 0 } dir
            ? dir
            : Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "../../../../../../shared/data"));

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
