using RnnLab.Sweeps.Trials;
using RnnLab.Server.Sweeping;
using RnnLab.Storage;

namespace RnnLab.Server.Tests;

public sealed class AnalysisCacheTests
{
    private static TrialRecord Trial(int number, TrialState state) =>
        new(Guid.NewGuid(), Guid.Empty, number, "{}", state, 1, null, null, null, DateTime.UtcNow, null, null, null, null, null);

    [Fact]
    public void An_analysis_is_computed_once_per_sweep_state_and_trial_counts()
    {
        var cache = new AnalysisCache();
        var sweep = new SweepRecord(Guid.NewGuid(), "s", "", SweepState.Running, null, DateTime.UtcNow, null);
        var running = new[] { Trial(1, TrialState.Completed), Trial(2, TrialState.Running) };
        var finished = new[] { Trial(1, TrialState.Completed), Trial(2, TrialState.Completed) };
        var computed = 0;
        string Compute() => $"analysis {++computed}";

        Assert.Equal("analysis 1", cache.GetOrAdd(sweep, running, "top10", Compute));
        Assert.Equal("analysis 1", cache.GetOrAdd(sweep, running, "top10", Compute));
        Assert.Equal("analysis 2", cache.GetOrAdd(sweep, finished, "top10", Compute));
        Assert.Equal("analysis 3", cache.GetOrAdd(sweep, finished, "top5", Compute));
        Assert.Equal("analysis 4", cache.GetOrAdd(sweep with { State = SweepState.Completed }, finished, "top10", Compute));
        Assert.Equal("analysis 5", cache.GetOrAdd(sweep with { Id = Guid.NewGuid() }, finished, "top10", Compute));
        Assert.Equal("analysis 4", cache.GetOrAdd(sweep with { State = SweepState.Completed }, finished, "top10", Compute));
    }
}
