using TorchSharp;

namespace RnnLab.Training.Tests;

public sealed class TensorLeakTests
{
    public TensorLeakTests() => torch.set_num_threads(1);

    [Theory]
    [InlineData(0)]
    [InlineData(4)]
    public void LiveTensorsDoNotGrowFromEpochToEpoch(int bptt)
    {
        var live = new List<long>();
        var config = TrialRunnerTests.Adding with { Epochs = 5, Bptt = bptt, InputNoise = 0.1, Clip = 1 };

        new TrialRunner().Run(config, new TrialRunOptions
        {
            OnEpoch = _ =>
            {
                live.Add(DisposeScopeManager.Statistics.ThreadTotalLiveCount);
                return EpochDecision.Continue;
            },
        });

        // Every epoch runs 8 batches; a per-step leak would add tensors at every report after the first two
        // (the first epochs create the optimizer state and the best-weights copy).
        Assert.All(live.Skip(2), count => Assert.Equal(live[1], count));
    }
}
