using RnnLab.Sweeps.Trials;
using System.Net;
using RnnLab.Storage;

namespace RnnLab.Grains.Tests;

/// <summary>Trials handed to a worker that never starts them are not lost: their leases run out and they run elsewhere.</summary>
public sealed class HandOffTests : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);
    private readonly ClusterFixture _fixture = new();

    public Task InitializeAsync() => _fixture.InitializeAsync();

    public Task DisposeAsync() => _fixture.DisposeAsync();

    [Fact]
    public async Task Trials_leased_by_a_worker_that_never_starts_them_run_once_after_the_lease_expires()
    {
        // A worker that asks for many trials and then vanishes without starting any (no silo of the cluster).
        var ghost = new WorkerIdentity("ghost", SiloAddress.New(new IPEndPoint(IPAddress.Loopback, 1), 1));
        var scheduler = _fixture.Cluster.Client.GetGrain<ISchedulerGrain>(0);
        var ghostLease = scheduler.Lease(ghost, 100, TimeSpan.FromSeconds(30));
        await Task.Delay(TimeSpan.FromMilliseconds(300));

        var submitted = await _fixture.Client.SubmitAsync(Specs.Quadratic("ghost", trials: 30, parallelism: 30, epochs: 2, delayMs: 0));
        var taken = await ghostLease;
        var events = await Waits.WatchUntilAsync(_fixture.Client, submitted.SweepId, e => e.Kind == SweepEventKinds.SweepFinished, Timeout);
        var trials = await _fixture.Stores.Trials.ListAsync(submitted.SweepId);

        Assert.NotEmpty(taken);
        Assert.Equal(30, trials.Count);
        Assert.All(trials, t => Assert.Equal(TrialState.Completed, t.State));
        Assert.Equal(Enumerable.Range(0, 30), events.Where(e => e.Kind == SweepEventKinds.TrialFinished).Select(e => e.TrialNumber!.Value).Order());
        foreach (var assignment in taken)
        {
            // Never started by the ghost: its first attempt ran on a real worker after the lease was taken back.
            var trial = trials.Single(t => t.Id == assignment.TrialId);
            Assert.Equal(1, trial.Attempt);
            Assert.NotEqual("ghost", trial.Worker);
            Assert.Contains(events, e => e.Kind == SweepEventKinds.TrialRequeued && e.TrialNumber == trial.Number);
        }
    }

    [Fact]
    public async Task A_trial_that_keeps_losing_its_worker_fails_once_its_attempts_are_spent()
    {
        // Retries 0, so one attempt plus the lost workers allowed on top.
        var allowed = 1 + new OrchestrationOptions().MaxLostAttempts;
        var submitted = await _fixture.Client.SubmitAsync(Specs.Quadratic("lost", trials: 1, parallelism: 1, epochs: 400, delayMs: 50));

        for (var attempt = 1; attempt <= allowed; attempt++)
        {
            var running = await Waits.UntilAsync(
                async () => (await _fixture.Stores.Trials.ListAsync(submitted.SweepId)).Single(),
                t => t.State == TrialState.Running && t.Attempt == attempt, Timeout, $"attempt {attempt} to run");
            // What the scheduler does when the worker's silo dies or its lease runs out.
            await _fixture.Cluster.Client.GetGrain<ITrialGrain>(running.Id).Abandon(running.Worker!, "worker lost");
        }

        var events = await Waits.WatchUntilAsync(_fixture.Client, submitted.SweepId, e => e.Kind == SweepEventKinds.SweepFinished, Timeout);
        var trial = (await _fixture.Stores.Trials.ListAsync(submitted.SweepId)).Single();

        Assert.Equal(TrialState.Failed, trial.State);
        Assert.Equal(allowed, trial.Attempt);
        Assert.Contains($"gave up after {allowed} attempts", trial.Error);
        Assert.Equal(allowed, events.Count(e => e.Kind == SweepEventKinds.TrialRequeued));
        Assert.Contains(events, e => e.Kind == SweepEventKinds.TrialFinished && e.TrialState == Sweeps.Trials.TrialState.Failed);
    }

    [Fact]
    public async Task A_worker_that_stops_an_attempt_on_its_own_does_not_end_the_trial_cancelled()
    {
        var submitted = await _fixture.Client.SubmitAsync(Specs.Quadratic("stopped", trials: 1, parallelism: 1, epochs: 30, delayMs: 30));
        var running = await Waits.UntilAsync(
            async () => (await _fixture.Stores.Trials.ListAsync(submitted.SweepId)).Single(),
            t => t.State == TrialState.Running && t.Attempt == 1, Timeout, "attempt 1 to run");

        // What a worker reports after its lease was taken away (a restarted scheduler no longer knows it, a
        // SIGTERM stops the process): the attempt stopped, but nobody cancelled the sweep.
        var recorded = await _fixture.Cluster.Client.GetGrain<ITrialGrain>(running.Id)
            .Finish(new AttemptResult(1, Sweeps.Trials.TrialState.Cancelled, 2, new Dictionary<string, double>()));

        var events = await Waits.WatchUntilAsync(_fixture.Client, submitted.SweepId, e => e.Kind == SweepEventKinds.SweepFinished, Timeout);
        var trial = (await _fixture.Stores.Trials.ListAsync(submitted.SweepId)).Single();
        Assert.False(recorded);
        Assert.Equal(TrialState.Completed, trial.State);
        Assert.Equal(2, trial.Attempt);
        Assert.Equal(Sweeps.Trials.TrialState.Completed, Assert.Single(events, e => e.Kind == SweepEventKinds.TrialFinished).TrialState);
        Assert.Equal(SweepState.Completed, (await _fixture.Stores.Sweeps.GetAsync(submitted.SweepId))!.State);
    }

    [Fact]
    public async Task Long_trials_are_not_started_ahead_while_a_short_sweep_runs_beside_them()
    {
        // Workers that have seen a sweep of instant trials lease and start its trials ahead; a sweep of long trials
        // submitted meanwhile must only ever have as many trials running as there are slots (3 silos x 2).
        var instant = await _fixture.Client.SubmitAsync(Specs.Quadratic("instant", trials: 4000, parallelism: 64, epochs: 1, delayMs: 0));
        await Waits.UntilAsync(() => _fixture.Client.GetStatusAsync(instant.SweepId), s => s.Finished >= 200, Timeout, "instant trials to finish");
        var slow = await _fixture.Client.SubmitAsync(Specs.Quadratic("slow", trials: 12, parallelism: 12, epochs: 2, delayMs: 400, seed: 4));

        var mostRunning = 0;
        var instantUnfinished = 0;
        while ((await _fixture.Client.GetStatusAsync(slow.SweepId)).State == SweepState.Running)
        {
            var running = await _fixture.Stores.Trials.ListAsync(slow.SweepId, TrialState.Running);
            mostRunning = Math.Max(mostRunning, running.Count);
            var instantStatus = await _fixture.Client.GetStatusAsync(instant.SweepId);
            instantUnfinished = Math.Max(instantUnfinished, instantStatus.Budget - instantStatus.Finished);
            await Task.Delay(TimeSpan.FromMilliseconds(50));
        }

        var trials = await _fixture.Stores.Trials.ListAsync(slow.SweepId);
        Assert.All(trials, t => Assert.Equal(TrialState.Completed, t.State));
        Assert.InRange(mostRunning, 1, 6);
        // The instant sweep was still going while the slow one ran, so its trials were being started ahead.
        Assert.True(instantUnfinished > 0);
        await Waits.WatchUntilAsync(_fixture.Client, instant.SweepId, e => e.Kind == SweepEventKinds.SweepFinished, Timeout);
    }
}
