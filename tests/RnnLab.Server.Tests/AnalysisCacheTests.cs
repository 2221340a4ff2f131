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

    [Fact]
    public async Task Charts_keyed_by_a_tally_are_computed_once_for_callers_at_once_and_a_failure_is_not_kept()
    {
        var cache = new AnalysisCache();
        var sweep = new SweepRecord(Guid.NewGuid(), "s", "", SweepState.Completed, null, DateTime.UtcNow, null);
        var tally = new TrialTally(new Dictionary<TrialState, int> { [TrialState.Completed] = 5 }, 1, 2);
        var grown = new TrialTally(new Dictionary<TrialState, int> { [TrialState.Completed] = 6 }, 1, 2);
        var computed = 0;
        var release = new TaskCompletionSource();
        async Task<string> Compute()
        {
            Interlocked.Increment(ref computed);
            await release.Task;
            return $"charts {computed}";
        }

        var first = cache.GetOrAddAsync(sweep, tally, "charts", Compute);
        var second = cache.GetOrAddAsync(sweep, tally, "charts", Compute);
        release.SetResult();
        Assert.Equal(["charts 1", "charts 1"], await Task.WhenAll(first, second));
        Assert.Equal("charts 2", await cache.GetOrAddAsync(sweep, grown, "charts", Compute));

        await Assert.ThrowsAsync<InvalidOperationException>(() => cache.GetOrAddAsync<string>(sweep, tally, "failing", () => throw new InvalidOperationException("no")));
        Assert.Equal("charts 3", await cache.GetOrAddAsync(sweep, tally, "failing", Compute));
    }
}
