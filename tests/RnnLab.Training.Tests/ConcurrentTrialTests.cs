using TorchSharp;

namespace RnnLab.Training.Tests;

public sealed class ConcurrentTrialTests
{
    public ConcurrentTrialTests() => torch.set_num_threads(1);

    [Fact]
    public void TrialsOnTheirOwnThreadsGiveTheSameNumbersAsAlone()
    {
        var a = TrialRunnerTests.Adding with { Seed = 21 };
        var b = TrialRunnerTests.Adding with { Seed = 22, Cell = "gru" };
        var aloneA = new TrialRunner().Run(a);
        var aloneB = new TrialRunner().Run(b);

        TrialResult? togetherA = null;
        TrialResult? togetherB = null;
        var threads = new[]
        {
            new Thread(() => togetherA = new TrialRunner().Run(a)),
            new Thread(() => togetherB = new TrialRunner().Run(b)),
        };
        Array.ForEach(threads, t => t.Start());
        Array.ForEach(threads, t => t.Join());

        Assert.Equal(aloneA.Metrics, togetherA!.Metrics);
        Assert.Equal(aloneB.Metrics, togetherB!.Metrics);
    }
}
