using RnnLab.Tasks.Memory;
using TorchSharp;

namespace RnnLab.Training.Tests;

/// <summary>The long-gap memory knob: with the same budget, seeds and T = 20, an LSTM learns the adding problem
/// and an Elman network stays at the answer-1.0 baseline.</summary>
public sealed class AddingLearningTests
{
    private static readonly TrialConfig Budget = TrialConfig.FromParameters(new Dictionary<string, object?>
    {
        ["task"] = "adding",
        ["task_options"] = "length=20,train_size=2000,eval_size=500,data_seed=3",
        ["hidden"] = 32L,
        ["batch"] = 16L,
        ["epochs"] = 6L,
        ["lr"] = 0.01,
        ["forget_bias"] = 1.0,
        ["patience"] = 0L,
        ["seed"] = 11L,
        ["threads"] = 1L,
    });

    public AddingLearningTests() => torch.set_num_threads(1);

    [Fact]
    public void LstmLearnsTheAddingProblemWhereRnnTanhDoesNot()
    {
        var lstm = new TrialRunner().Run(Budget with { Cell = "lstm" });
        var tanh = new TrialRunner().Run(Budget with { Cell = "rnn-tanh" });

        Assert.Equal(RunOutcome.Completed, lstm.State);
        Assert.Equal(RunOutcome.Completed, tanh.State);
        Assert.True(lstm.Metrics["test.mse"] < 0.2 * AddingTask.Baseline, $"lstm test mse {lstm.Metrics["test.mse"]}");
        Assert.True(tanh.Metrics["test.mse"] > 0.6 * AddingTask.Baseline, $"rnn-tanh test mse {tanh.Metrics["test.mse"]}");
    }
}
