using TorchSharp;

namespace RnnLab.Training.Tests;

public sealed class ScreenStageTests
{
    private static readonly TrialConfig Screened = TrialRunnerTests.Adding with
    {
        Epochs = 2,
        ScreenTask = "copy",
        ScreenLength = 6,
        ScreenSize = 64,
        ScreenEpochs = 1,
    };

    public ScreenStageTests() => torch.set_num_threads(1);

    [Fact]
    public void ACandidateThatMissesTheThresholdEndsPrunedWithoutTrainingOnItsTask()
    {
        // The copy task's loss cannot reach 1e-9 in one epoch on 64 sequences.
        var epochs = 0;
        var result = new TrialRunner().Run(Screened with { ScreenThreshold = 1e-9 },
            new TrialRunOptions { OnEpoch = _ => { epochs++; return EpochDecision.Continue; } });

        Assert.Equal(RunOutcome.Pruned, result.State);
        Assert.Equal(0, epochs);
        Assert.Equal(0, result.EpochsRun);
        var (name, value) = Assert.Single(result.Metrics);
        Assert.StartsWith("screen.valid.", name);
        Assert.True(value > 1e-9);
        Assert.Contains("screened out", result.Message);
        Assert.Contains(name, result.Message);
    }

    [Fact]
    public void ACandidateThatPassesTrainsOnItsTaskAndKeepsItsScreeningMetric()
    {
        var epochs = 0;
        var screened = new TrialRunner().Run(Screened with { ScreenThreshold = 1e6 },
            new TrialRunOptions { OnEpoch = _ => { epochs++; return EpochDecision.Continue; } });
        var plain = new TrialRunner().Run(Screened with { ScreenTask = null });

        Assert.Equal(RunOutcome.Completed, screened.State);
        Assert.Equal(2, epochs);
        Assert.Contains(screened.Metrics.Keys, k => k.StartsWith("screen.valid.", StringComparison.Ordinal));
        Assert.DoesNotContain(plain.Metrics.Keys, k => k.StartsWith("screen.", StringComparison.Ordinal));
        // The screen trains a network of its own: the trial's own results are those of an unscreened trial.
        Assert.Equal(plain.Metrics["valid.mse"], screened.Metrics["valid.mse"]);
    }

    [Fact]
    public void ScreeningParametersRoundTripAndOnlyScreenedTrialsNameThem()
    {
        var config = Screened with { ScreenThreshold = 0.5 };

        var back = TrialConfig.FromParameters(config.ToParameters());

        Assert.Equal(config, back);
        Assert.Equal("copy", back.ScreenTask);
        Assert.Equal(0.5, back.ScreenThreshold);
        Assert.Equal(64, back.ScreenSize);
        Assert.DoesNotContain(TrialRunnerTests.Adding.ToParameters().Keys, k => k.StartsWith("screen_", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("jsb-chorales", 0.5, "screen_task")]
    [InlineData("copy", double.NaN, "screen_threshold")]
    [InlineData(null, 0.5, "screen_threshold")]
    public void BadScreensAreRefusedNamingTheParameter(string? task, double threshold, string parameter)
    {
        var error = Assert.Throws<ArgumentException>(() => (Screened with { ScreenTask = task, ScreenThreshold = threshold }).Validate());

        Assert.Contains($"'{parameter}'", error.Message);
    }
}
