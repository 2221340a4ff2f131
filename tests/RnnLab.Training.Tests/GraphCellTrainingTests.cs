using RnnLab.CellGraphs;
using TorchSharp;

namespace RnnLab.Training.Tests;

public sealed class GraphCellTrainingTests
{
    private const string LeakyElman = """
        name: leaky-elman
        state: [h]
        nodes:
          wx: { op: linear, in: [x], bias: true }
          uh: { op: linear, in: [h] }
          a:  { op: relu, in: [s] }
          s:  { op: add, in: [wx, uh] }
          g:  { op: sigmoid, in: [gx] }
          gx: { op: linear, in: [x], bias: true }
          mix: { op: multiply, in: [g, a] }
          keep: { op: multiply, in: [ng, h] }
          ng: { op: one-minus, in: [g] }
          hn: { op: add, in: [mix, keep] }
        outputs: { h: hn }
        """;

    public GraphCellTrainingTests() => torch.set_num_threads(1);

    [Fact]
    public void A_trial_trains_a_graph_cell_and_its_checkpoint_carries_the_graph()
    {
        var config = TrialConfig.FromParameters(new Dictionary<string, object?>
        {
            ["cell_graph"] = LeakyElman,
            ["task"] = "adding",
            ["task.length"] = "12",
            ["task.train_size"] = "256",
            ["task.eval_size"] = "128",
            ["hidden"] = 12L,
            ["batch"] = 32L,
            ["epochs"] = 3L,
            ["patience"] = 0L,
        });
        Assert.Equal("leaky-elman", config.Cell);

        var run = TrialRunnerTests.RunCollecting(config);
        Assert.Equal(RunOutcome.Completed, run.Result.State);
        Assert.True(run.Losses[^1] < run.Losses[0], $"loss did not fall: {string.Join(", ", run.Losses)}");
        Assert.Equal(config.ParsedCellGraph()!.Hash(), CellGraph.Parse((string)config.ToParameters()["cell_graph"]!).Hash());

        // Resuming from the first epoch's checkpoint rebuilds the graph cell and continues to the same numbers.
        var resumed = TrialRunnerTests.RunCollecting(config, new MemoryStream(run.Checkpoints[0].Bytes.ToArray()));
        Assert.Equal(run.Result.Metrics["valid.mse"], resumed.Result.Metrics["valid.mse"], 12);
    }

    [Fact]
    public void A_builtin_cells_graph_trains_exactly_like_the_builtin()
    {
        var byName = TrialRunnerTests.RunCollecting(TrialRunnerTests.Adding with { Epochs = 2 });
        var byGraph = TrialRunnerTests.RunCollecting(TrialRunnerTests.Adding with { Epochs = 2, CellGraph = BuiltinCellGraphs.Get("lstm").ToYaml() });
        Assert.Equal(byName.Losses, byGraph.Losses);
    }

    [Fact]
    public void A_bad_graph_is_refused_with_its_path()
    {
        var error = Assert.Throws<ArgumentException>(() => TrialConfig.FromParameters(new Dictionary<string, object?>
        {
            ["cell_graph"] = LeakyElman.Replace("in: [g, a]", "in: [g, b]"),
        }));
        Assert.Contains("cell_graph", error.Message);
        Assert.Contains("nodes.mix.in[1]", error.Message);
    }
}
