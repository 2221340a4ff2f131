using RnnLab.CellGraphs;
using RnnLab.Models;

namespace RnnLab.Training.Tests;

public sealed class TrialConfigTests
{
    [Fact]
    public void ParametersRoundTrip()
    {
        var config = TrialConfig.FromParameters(new Dictionary<string, object?>
        {
            ["task"] = "copy",
            ["task_options"] = "length=30, symbols=4",
            ["cell"] = "gru",
            ["hidden"] = 32L,
            ["lr"] = 0.01,
            ["bidirectional"] = true,
            ["optimizer"] = "sgd",
            ["seed"] = 9L,
            ["epochs"] = 3.0,
        });

        Assert.Equal("gru", config.Cell);
        Assert.Equal(32, config.Hidden);
        Assert.True(config.Bidirectional);
        Assert.Equal(3, config.Epochs);
        Assert.Equal("30", config.TaskOptions["length"]);
        Assert.Equal("4", config.TaskOptions["symbols"]);

        var parameters = config.ToParameters();
        Assert.Equal("30", parameters["task.length"]);
        Assert.Equal(config, TrialConfig.FromParameters(parameters));
        Assert.NotEqual(config, config with { Hidden = 33 });
    }

    [Fact]
    public void TaskOptionsAcceptAMap()
    {
        var config = TrialConfig.FromParameters(new Dictionary<string, object?>
        {
            ["task"] = "adding",
            ["task_options"] = new Dictionary<string, string> { ["length"] = "50" },
        });

        Assert.Equal("50", config.TaskOptions["length"]);
    }

    [Theory]
    [InlineData("cell", "lstm-xyz", "'cell'")]
    [InlineData("optimizer", "rmsprop", "'optimizer' must be one of sgd, adam")]
    [InlineData("hidden", "wide", "'hidden' must be an integer")]
    [InlineData("hidden", 0L, "'hidden' must be ≥ 1")]
    [InlineData("lr", "fast", "'lr' must be a number")]
    [InlineData("dropout", 1.0, "'dropout' must be in [0, 1)")]
    [InlineData("init", "zeros", "'init' must be one of uniform, normal, xavier, orthogonal")]
    [InlineData("bidirectional", "maybe", "'bidirectional' must be true or false")]
    [InlineData("hiddn", 10L, "unknown parameter 'hiddn'")]
    public void BadParametersAreNamed(string name, object value, string expected)
    {
        var error = Assert.Throws<ArgumentException>(() => TrialConfig.FromParameters(new Dictionary<string, object?> { [name] = value }));

        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void UnknownCellListsTheValidCells()
    {
        var error = Assert.Throws<ArgumentException>(() => TrialConfig.FromParameters(new Dictionary<string, object?> { ["cell"] = "lstn" }));

        Assert.Contains(string.Join(", ", CellNames.All), error.Message);
    }
}
