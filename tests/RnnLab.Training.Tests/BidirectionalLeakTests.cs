using RnnLab.Tasks;
using TorchSharp;

namespace RnnLab.Training.Tests;

/// <summary>A bidirectional network on a next-step task would read its own targets: the trainer refuses it.</summary>
public sealed class BidirectionalLeakTests
{
    public BidirectionalLeakTests() => torch.set_num_threads(1);

    [Theory]
    [InlineData("jsb-chorales")]
    [InlineData("tinyshakespeare")]
    [InlineData("/data/music.json")]
    public void A_bidirectional_config_on_a_next_step_task_is_invalid_and_says_why(string task)
    {
        var error = Assert.Throws<ArgumentException>(() => new TrialConfig { Task = task, Bidirectional = true }.Validate());

        Assert.Contains("'bidirectional'", error.Message);
        Assert.Contains("predicts the next step", error.Message);
        Assert.Contains("t+1", error.Message);
    }

    [Fact]
    public void FromParameters_refuses_it_too()
    {
        Assert.Throws<ArgumentException>(() => TrialConfig.FromParameters(new Dictionary<string, object?>
        {
            ["task"] = "jsb-chorales",
            ["bidirectional"] = true,
        }));
    }

    [Theory]
    [InlineData("adding")]
    [InlineData("copy")]
    public void Adding_and_copy_train_a_bidirectional_network(string task)
    {
        var config = TrialRunnerTests.Adding with { Task = task, Bidirectional = true, Epochs = 1 };

        var result = new TrialRunner().Run(config);

        Assert.NotEmpty(result.Metrics);
        Assert.All(result.Metrics.Values, value => Assert.True(double.IsFinite(value)));
    }

    [Fact]
    public void The_runner_checks_the_task_it_trains_on_not_only_its_name()
    {
        // A caller may hand the runner a task object whose name says nothing about its shape.
        var text = new RnnLab.Tasks.Text.CharLanguageTask("adding", string.Concat(Enumerable.Repeat("abcdefgh ", 200)), 0.1, 0.1, 0);
        var config = TrialRunnerTests.Adding with { Bidirectional = true, Epochs = 1 };

        var error = Assert.Throws<ArgumentException>(() => new TrialRunner().Run(config, new TrialRunOptions { Task = text }));

        Assert.Contains("predicts the next step", error.Message);
        Assert.Equal(TaskShape.NextStep, text.Shape);
    }
}
