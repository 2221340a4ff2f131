using RnnLab.Tasks;
using TorchSharp;

namespace RnnLab.Training.Tests;

/// <summary>Fill in the blank on tinyshakespeare: with the same short budget and seed, a bidirectional gru (which
/// reads both sides of every blank) fills more blanks than a unidirectional one (left side only).</summary>
public sealed class ClozeLearningTests
{
    private static readonly TrialConfig Budget = TrialConfig.FromParameters(new Dictionary<string, object?>
    {
        ["task"] = "cloze",
        ["task_options"] = "length=48,epoch_chars=48000,eval_chars=9600,data_seed=2",
        ["cell"] = "gru",
        ["hidden"] = 48L,
        ["batch"] = 32L,
        ["epochs"] = 3L,
        ["lr"] = 0.01,
        ["patience"] = 0L,
        ["seed"] = 5L,
        ["threads"] = 1L,
    });

    public ClozeLearningTests() => torch.set_num_threads(1);

    [Fact]
    public void A_bidirectional_gru_fills_more_blanks_than_a_unidirectional_one()
    {
        var both = new TrialRunner().Run(Budget with { Bidirectional = true });
        var left = new TrialRunner().Run(Budget);

        Assert.Equal(RunOutcome.Completed, both.State);
        Assert.Equal(RunOutcome.Completed, left.State);
        Assert.True(both.Metrics["test.accuracy"] > left.Metrics["test.accuracy"] + 0.05,
            $"test accuracy: bidirectional {both.Metrics["test.accuracy"]:F3}, unidirectional {left.Metrics["test.accuracy"]:F3}");
        Assert.True(both.Metrics["test.nll"] < left.Metrics["test.nll"],
            $"test nll: bidirectional {both.Metrics["test.nll"]:F3}, unidirectional {left.Metrics["test.nll"]:F3}");
    }

    [Fact]
    public void Cloze_allows_bidirectional_layers_by_name_and_by_shape()
    {
        Assert.Equal(TaskShape.Masked, TaskShapes.Of("cloze"));
        Assert.Equal(TaskShape.Masked, TaskShapes.Of("cloze:/data/novel.txt"));
        (Budget with { Bidirectional = true }).Validate();
    }
}
