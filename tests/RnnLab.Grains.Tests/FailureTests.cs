using RnnLab.Sweeps.Trials;
using Orleans.TestingHost;
using RnnLab.Storage;

namespace RnnLab.Grains.Tests;

/// <summary>A worker silo killed mid-sweep loses nothing: its trials resume from their checkpoints elsewhere.</summary>
public sealed class FailureTests : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);
    private readonly ClusterFixture _fixture = new();

    public Task InitializeAsync() => _fixture.InitializeAsync();

    public Task DisposeAsync() => _fixture.DisposeAsync();

    [Fact]
    public async Task Killing_a_worker_silo_mid_sweep_completes_every_trial_once_resuming_at_its_checkpoint()
    {
        var victim = (InProcessSiloHandle)_fixture.Cluster.SecondarySilos[0];
        var victimWorker = victim.SiloAddress.ToParsableString();
        var submitted = await _fixture.Client.SubmitAsync(Specs.Quadratic("kill", trials: 6, parallelism: 6, epochs: 16, delayMs: 100));

        // Wait until a trial on the victim has a checkpoint past epoch 2, then kill the silo without warning.
        var (onVictim, checkpointEpoch) = await Waits.UntilAsync(async () =>
        {
            foreach (var t in await _fixture.Stores.Trials.ListAsync(submitted.SweepId, TrialState.Running))
            {
                if (t.Worker == victimWorker && await _fixture.Stores.Checkpoints.GetLatestEpochAsync(t.Id) is >= 4 and var epoch)
                {
                    return (t, epoch);
                }
            }

            return ((TrialRecord?)null, (int?)null);
        }, r => r.Item1 is not null, Timeout, "a checkpoint on the victim silo");
        await _fixture.Cluster.KillSiloAsync(victim);

        var events = await Waits.WatchUntilAsync(_fixture.Client, submitted.SweepId, e => e.Kind == SweepEventKinds.SweepFinished, Timeout);
        var trials = await _fixture.Stores.Trials.ListAsync(submitted.SweepId);
        var resumed = trials.Single(t => t.Id == onVictim!.Id);
        var points = await _fixture.Stores.Metrics.ReadAsync(resumed.Id);

        Assert.Equal(6, trials.Count);
        Assert.All(trials, t => Assert.Equal(TrialState.Completed, t.State));
        Assert.Equal(6, events.Count(e => e.Kind == SweepEventKinds.TrialFinished));
        Assert.Equal(Enumerable.Range(0, 6), events.Where(e => e.Kind == SweepEventKinds.TrialFinished).Select(e => e.TrialNumber!.Value).Order());
        Assert.True(resumed.Attempt >= 2, $"attempt {resumed.Attempt}");
        Assert.NotEqual(victimWorker, resumed.Worker);
        Assert.True(resumed.ResumedFromEpoch >= checkpointEpoch, $"resumed from {resumed.ResumedFromEpoch}, checkpoint was {checkpointEpoch}");
        Assert.Contains(events, e => e.Kind == SweepEventKinds.TrialRequeued && e.TrialNumber == resumed.Number);
        Assert.Contains(events, e => e.Kind == SweepEventKinds.TrialStarted && e.TrialNumber == resumed.Number && e.Epoch >= checkpointEpoch);
        // Every epoch is recorded exactly once although epochs past the checkpoint ran twice.
        Assert.Equal(Enumerable.Range(1, 16), points.Select(p => p.Epoch));
    }
}

/// <summary>Stopping the whole cluster and starting a new one on the same database carries on the sweep.</summary>
public sealed class RestartTests : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);
    private readonly ClusterFixture _fixture = new();

    public Task InitializeAsync() => _fixture.InitializeAsync();

    public Task DisposeAsync() => _fixture.DisposeAsync();

    /// <summary>Stops the whole cluster once a trial of the sweep has finished, starts a new one on the same database and
    /// waits for the sweep to end: the trials as the stop left them, the events, and the trials at the end.</summary>
    private async Task<(IReadOnlyList<TrialRecord> Stopped, List<SweepEvent> Events, IReadOnlyList<TrialRecord> Trials)> RestartAfterFirstTrialAsync(Guid sweepId)
    {
        await Waits.WatchUntilAsync(_fixture.Client, sweepId, e => e.Kind == SweepEventKinds.TrialFinished && e.TrialNumber is not null, Timeout);
        await _fixture.StopClusterAsync();
        var stopped = await _fixture.Stores.Trials.ListAsync(sweepId);
        await _fixture.StartClusterAsync();
        var events = await Waits.WatchUntilAsync(_fixture.Client, sweepId, e => e.Kind == SweepEventKinds.SweepFinished, Timeout);
        return (stopped, events, await _fixture.Stores.Trials.ListAsync(sweepId));
    }

    [Fact]
    public async Task A_restarted_host_resumes_an_unfinished_sweep()
    {
        var submitted = await _fixture.Client.SubmitAsync(Specs.Quadratic("restart", trials: 10, parallelism: 3, epochs: 6, delayMs: 30));
        var (stopped, events, trials) = await RestartAfterFirstTrialAsync(submitted.SweepId);

        Assert.Contains(stopped, t => !t.State.IsFinal());
        Assert.Equal(10, trials.Count);
        Assert.All(trials, t => Assert.Equal(TrialState.Completed, t.State));
        Assert.Equal(SweepState.Completed, events[^1].SweepState);
        var finishedEvents = (await _fixture.Stores.Sweeps.ReadEventsAsync(submitted.SweepId, 0, 10_000))
            .Count(e => e.Kind == SweepEventKinds.TrialFinished);
        Assert.Equal(10, finishedEvents);
    }

    [Fact]
    public async Task A_restarted_evolutionary_search_never_proposes_an_architecture_an_earlier_trial_used()
    {
        var submitted = await _fixture.Client.SubmitAsync(Specs.Evolution("evolution-restart", trials: 40, parallelism: 10, epochs: 3, delayMs: 30));
        var (stopped, events, trials) = await RestartAfterFirstTrialAsync(submitted.SweepId);

        // Trials proposed before the restart were still queued or running: the restored sampler had to know them.
        Assert.Contains(stopped, t => !t.State.IsFinal());
        Assert.True(stopped.Count < trials.Count, $"{stopped.Count} trials before the restart, {trials.Count} after");
        Assert.Equal(SweepState.Completed, events[^1].SweepState);
        Assert.Equal(40, trials.Count);
        var hashes = trials.Select(t => RnnLab.CellGraphs.CellGraph.Parse(
            RnnLab.Sweeps.Parameters.ParameterSet.FromJson(t.ParametersJson).GetString("cell_graph")).Hash()).ToList();
        Assert.Equal(hashes.Count, hashes.Distinct().Count());
    }
}
