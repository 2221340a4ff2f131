using TorchSharp;

namespace RnnLab.Training.Tests;

public sealed class TrialRunnerTests
{
    internal static readonly TrialConfig Adding = new TrialConfig
    {
        Task = "adding",
        TaskOptions = Options(("length", "12"), ("train_size", "256"), ("eval_size", "128")),
        Cell = "lstm",
        Hidden = 12,
        Batch = 32,
        Epochs = 4,
        Lr = 0.01,
        Patience = 0,
        Seed = 5,
    }.Validate();

    public TrialRunnerTests() => torch.set_num_threads(1);

    [Fact]
    public void SameSeedGivesTheSameNumbers()
    {
        var a = RunCollecting(Adding);
        var b = RunCollecting(Adding);
        var c = RunCollecting(Adding with { Seed = 6 });

        Assert.Equal(a.Losses, b.Losses);
        Assert.Equal(a.Result.Metrics, b.Result.Metrics);
        Assert.NotEqual(a.Losses, c.Losses);
    }

    [Theory]
    [InlineData("adam", 0.0, 0)]
    [InlineData("sgd", 0.3, 5)]
    public void ResumingFromACheckpointEqualsTheUninterruptedRun(string optimizer, double noise, int bptt)
    {
        var config = Adding with { Optimizer = optimizer, InputNoise = noise, Bptt = bptt, Momentum = 0.9, LrPatience = 1, LrDecay = 0.5 };
        var full = RunCollecting(config);
        var atTwo = full.Checkpoints.Single(c => c.Epoch == 2);

        var resumed = RunCollecting(config, new MemoryStream(atTwo.Bytes.ToArray()));

        Assert.Equal(full.Losses.Skip(2), resumed.Losses);
        Assert.Equal(full.Result.Metrics, resumed.Result.Metrics);
        Assert.Equal(full.Result.BestEpoch, resumed.Result.BestEpoch);
        Assert.Equal(4, resumed.Result.EpochsRun);
    }

    [Fact]
    public void CharacterModelResumesWithItsCarriedState()
    {
        var text = Path.Combine(Path.GetTempPath(), $"rnnlab-text-{Guid.NewGuid():N}.txt");
        File.WriteAllText(text, string.Concat(Enumerable.Repeat("the quick brown fox jumps over the lazy dog. 春眠不觉晓\n", 30)));
        try
        {
            var config = Adding with { Task = text, TaskOptions = Options(), Bptt = 16, Batch = 4, Epochs = 3, Hidden = 16 };
            var full = RunCollecting(config);
            var resumed = RunCollecting(config, new MemoryStream(full.Checkpoints.Single(c => c.Epoch == 1).Bytes.ToArray()));

            Assert.Equal(full.Losses.Skip(1), resumed.Losses);
            Assert.Equal(full.Result.Metrics["test.bpc"], resumed.Result.Metrics["test.bpc"], 6);
        }
        finally
        {
            File.Delete(text);
        }
    }

    [Fact]
    public void CancellationLeavesAResumableCheckpoint()
    {
        var full = RunCollecting(Adding);
        using var cancel = new CancellationTokenSource();
        var checkpoints = new List<TrialCheckpoint>();
        var cancelled = new TrialRunner().Run(Adding, new TrialRunOptions
        {
            CheckpointEvery = 0,
            CheckpointSink = checkpoints.Add,
            OnEpoch = r =>
            {
                if (r.Epoch == 3)
                {
                    cancel.Cancel();
                }

                return EpochDecision.Continue;
            },
        }, cancel.Token);

        Assert.Equal(RunOutcome.Cancelled, cancelled.State);
        Assert.Equal(3, Assert.Single(checkpoints).Epoch);
        var resumed = RunCollecting(Adding, new MemoryStream(checkpoints[0].Bytes.ToArray()));
        Assert.Equal(full.Result.Metrics, resumed.Result.Metrics);
    }

    [Fact]
    public void CancellationIsHonouredBetweenBatches()
    {
        using var cancel = new CancellationTokenSource();
        cancel.Cancel();
        var checkpoints = new List<TrialCheckpoint>();

        var result = new TrialRunner().Run(Adding, new TrialRunOptions { CheckpointSink = checkpoints.Add }, cancel.Token);

        Assert.Equal(RunOutcome.Cancelled, result.State);
        Assert.Equal(0, result.EpochsRun);
        Assert.Equal(0, Assert.Single(checkpoints).Epoch);
    }

    [Fact]
    public void CheckpointsFollowTheEpochCallback()
    {
        var events = new List<string>();

        new TrialRunner().Run(Adding with { Epochs = 3 }, new TrialRunOptions
        {
            CheckpointEvery = 2,
            CheckpointSink = c => events.Add($"checkpoint {c.Epoch}"),
            OnEpoch = r =>
            {
                events.Add($"epoch {r.Epoch}");
                return EpochDecision.Continue;
            },
        });

        Assert.Equal(["epoch 1", "epoch 2", "checkpoint 2", "epoch 3", "checkpoint 3"], events);
    }

    [Fact]
    public void StopFromTheCallbackPrunesTheTrial()
    {
        var result = new TrialRunner().Run(Adding, new TrialRunOptions
        {
            OnEpoch = r => r.Epoch == 2 ? EpochDecision.Stop : EpochDecision.Continue,
        });

        Assert.Equal(RunOutcome.Pruned, result.State);
        Assert.Equal(2, result.EpochsRun);
        Assert.Contains("test.mse", result.Metrics.Keys);
    }

    [Fact]
    public void ExplodingLossIsReportedAsDiverged()
    {
        var result = new TrialRunner().Run(Adding with { Optimizer = "sgd", Lr = 1e12, Momentum = 0.99, InitScale = 5 });

        Assert.Equal(RunOutcome.Diverged, result.State);
        Assert.Contains("became", result.Message);
    }

    [Fact]
    public void ReportsCarryMetricsAndTheBestEpochWinsTheResult()
    {
        var run = RunCollecting(Adding with { Epochs = 5 });

        Assert.Equal(5, run.Reports.Count);
        Assert.All(run.Reports, r => Assert.True(r.SamplesPerSecond > 0));
        var best = run.Reports.MinBy(r => r.Metrics["valid.mse"])!;
        Assert.Equal(best.Epoch, run.Result.BestEpoch);
        Assert.Equal(best.Metrics["valid.mse"], run.Result.Metrics["valid.mse"]);
        Assert.True(run.Result.Metrics["test.mse"] > 0);
    }

    [Fact]
    public void ResumingAnotherTrialsCheckpointIsRefused()
    {
        var run = RunCollecting(Adding with { Epochs = 1 });

        var error = Assert.Throws<ArgumentException>(() =>
            new TrialRunner().Run(Adding with { Hidden = 13 }, new TrialRunOptions { ResumeFrom = new MemoryStream(run.Checkpoints[0].Bytes.ToArray()) }));

        Assert.Contains("hidden", error.Message);
    }

    internal static (TrialResult Result, List<double> Losses, List<EpochReport> Reports, List<TrialCheckpoint> Checkpoints) RunCollecting(
        TrialConfig config, Stream? resume = null)
    {
        var reports = new List<EpochReport>();
        var checkpoints = new List<TrialCheckpoint>();
        var result = new TrialRunner().Run(config, new TrialRunOptions
        {
            ResumeFrom = resume,
            CheckpointSink = checkpoints.Add,
            OnEpoch = r =>
            {
                reports.Add(r);
                return EpochDecision.Continue;
            },
        });
        return (result, reports.Select(r => r.TrainLoss).ToList(), reports, checkpoints);
    }

    private static System.Collections.Immutable.ImmutableSortedDictionary<string, string> Options(params (string Key, string Value)[] pairs) =>
        System.Collections.Immutable.ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, pairs.Select(p => KeyValuePair.Create(p.Key, p.Value)));
}
