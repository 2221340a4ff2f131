using RnnLab.Sweeps.Trials;
using RnnLab.Storage;
using TrialState = RnnLab.Sweeps.Trials.TrialState;

namespace RnnLab.Grains.Tests;

/// <summary>Sweeps on one three-silo cluster (2 slots each), run one after another.</summary>
[Collection(SharedClusterCollection.Name)]
public sealed class SweepLifecycleTests(ClusterFixture fixture)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_sweep_completes_with_every_trial_result_recorded_once()
    {
        var submitted = await fixture.Client.SubmitAsync(Specs.Quadratic("complete", trials: 10, parallelism: 4, epochs: 4, delayMs: 5));

        var events = await Waits.WatchUntilAsync(fixture.Client, submitted.SweepId, e => e.Kind == SweepEventKinds.SweepFinished, Timeout);
        var trials = await fixture.Stores.Trials.ListAsync(submitted.SweepId);
        var sweep = await fixture.Stores.Sweeps.GetAsync(submitted.SweepId);

        Assert.Equal(SweepState.Completed, sweep!.State);
        Assert.Equal(10, trials.Count);
        Assert.All(trials, t => Assert.Equal(TrialState.Completed, t.State));
        Assert.All(trials, t => Assert.NotNull(t.Objective));
        var finished = events.Where(e => e.Kind == SweepEventKinds.TrialFinished).ToList();
        Assert.Equal(10, finished.Count);
        Assert.Equal(Enumerable.Range(0, 10), finished.Select(e => e.TrialNumber!.Value).Order());
        Assert.Equal(Enumerable.Range(1, events.Count).Select(i => (long)i), events.Select(e => e.Sequence));
        foreach (var trial in trials)
        {
            // Every epoch is announced, the last one (sent with the result) included, and before the finish.
            var own = events.Where(e => e.TrialNumber == trial.Number && e.Kind != SweepEventKinds.TrialStarted).ToList();
            Assert.Equal([1, 2, 3, 4], own.Where(e => e.Kind == SweepEventKinds.Epoch).Select(e => e.Epoch!.Value));
            Assert.Equal(SweepEventKinds.TrialFinished, own[^1].Kind);
            var points = await fixture.Stores.Metrics.ReadAsync(trial.Id);
            Assert.Equal([1, 2, 3, 4], points.Select(p => p.Epoch));
            // The objective is the best (last) epoch's value: base + 1/4.
            Assert.Equal(points.Min(p => p.Value), trial.Objective!.Value, 12);
        }
    }

    [Fact]
    public async Task A_sweep_of_real_training_trials_completes_with_their_metrics()
    {
        var submitted = await fixture.Client.SubmitAsync(Specs.TinyTraining(trials: 4));

        var events = await Waits.WatchUntilAsync(fixture.Client, submitted.SweepId, e => e.Kind == SweepEventKinds.SweepFinished, Timeout);
        var trials = await fixture.Stores.Trials.ListAsync(submitted.SweepId);

        Assert.Equal(SweepState.Completed, events[^1].SweepState);
        Assert.Equal(4, trials.Count);
        Assert.Equal(4, events.Count(e => e.Kind == SweepEventKinds.TrialFinished));
        foreach (var trial in trials)
        {
            Assert.Equal(TrialState.Completed, trial.State);
            var points = await fixture.Stores.Metrics.ReadAsync(trial.Id);
            var mse = points.Where(p => p.Name == "valid.mse").ToList();
            Assert.Equal([1, 2, 3], mse.Select(p => p.Epoch));
            Assert.Equal([1, 2, 3], points.Where(p => p.Name == "train.loss").Select(p => p.Epoch));
            Assert.Equal(mse.Min(p => p.Value), trial.Objective!.Value, 12);
            Assert.Contains("cell", trial.ParametersJson);
        }
    }

    [Fact]
    public async Task A_final_result_reported_twice_is_recorded_once()
    {
        var submitted = await fixture.Client.SubmitAsync(Specs.Quadratic("twice", trials: 1, parallelism: 1, epochs: 2, delayMs: 0));
        await Waits.WatchUntilAsync(fixture.Client, submitted.SweepId, e => e.Kind == SweepEventKinds.SweepFinished, Timeout);
        var trial = Assert.Single(await fixture.Stores.Trials.ListAsync(submitted.SweepId));

        var again = await fixture.Cluster.Client.GetGrain<ITrialGrain>(trial.Id)
            .Finish(new AttemptResult(trial.Attempt, TrialState.Diverged, 2, new Dictionary<string, double> { ["objective"] = -1 }));
        var stored = await fixture.Stores.Trials.GetAsync(trial.Id);

        Assert.False(again);
        Assert.Equal(TrialState.Completed, stored!.State);
        Assert.Equal(trial.Objective, stored.Objective);
    }

    [Fact]
    public async Task Watching_resumes_after_the_last_seen_event_number()
    {
        var submitted = await fixture.Client.SubmitAsync(Specs.Quadratic("watch", trials: 3, parallelism: 3, epochs: 3, delayMs: 0));
        var all = await Waits.WatchUntilAsync(fixture.Client, submitted.SweepId, e => e.Kind == SweepEventKinds.SweepFinished, Timeout);

        var resumed = await Waits.WatchUntilAsync(fixture.Client, submitted.SweepId, e => e.Kind == SweepEventKinds.SweepFinished, Timeout, after: 5);

        Assert.Equal(all.Skip(5).Select(e => (e.Sequence, e.Kind, e.TrialNumber, e.Epoch)),
            resumed.Select(e => (e.Sequence, e.Kind, e.TrialNumber, e.Epoch)));
        Assert.Equal(6, resumed[0].Sequence);
    }

    [Fact]
    public async Task Cancel_stops_running_trials_and_cancels_queued_ones()
    {
        var submitted = await fixture.Client.SubmitAsync(Specs.Quadratic("cancel", trials: 20, parallelism: 4, epochs: 200, delayMs: 20));
        await Waits.WatchUntilAsync(fixture.Client, submitted.SweepId, e => e.Kind == SweepEventKinds.Epoch && e.Epoch >= 2, Timeout);

        await fixture.Client.CancelAsync(submitted.SweepId);
        var events = await Waits.WatchUntilAsync(fixture.Client, submitted.SweepId, e => e.Kind == SweepEventKinds.SweepFinished, Timeout);
        var trials = await fixture.Stores.Trials.ListAsync(submitted.SweepId);

        Assert.Equal(SweepState.Cancelled, events[^1].SweepState);
        Assert.Equal(4, trials.Count);
        Assert.All(trials, t => Assert.Equal(TrialState.Cancelled, t.State));
        Assert.True(events.Where(e => e.Kind == SweepEventKinds.Epoch).Max(e => e.Epoch) < 200);
    }

    [Fact]
    public async Task Pause_hands_out_no_new_trials_until_resume()
    {
        var submitted = await fixture.Client.SubmitAsync(Specs.Quadratic("pause", trials: 8, parallelism: 2, epochs: 3, delayMs: 20));
        var untilFirst = await Waits.WatchUntilAsync(fixture.Client, submitted.SweepId, e => e.Kind == SweepEventKinds.TrialFinished, Timeout);

        await fixture.Client.PauseAsync(submitted.SweepId);
        // A trial leased just before the pause still runs; wait until nothing is leased or running.
        var scheduler = fixture.Cluster.Client.GetGrain<ISchedulerGrain>(0);
        var (paused, stats) = await Waits.UntilAsync(
            async () => (await fixture.Client.GetStatusAsync(submitted.SweepId), await scheduler.GetStats()),
            s => s.Item1.Running == 0 && s.Item2.Leased == 0, Timeout, "running trials to drain");
        var afterPause = await Waits.WatchUntilAsync(fixture.Client, submitted.SweepId, e => e.Kind == SweepEventKinds.SweepPaused, Timeout);
        var pending = await fixture.Stores.Trials.ListAsync(submitted.SweepId, TrialState.Pending);
        var queued = stats.Queued;

        Assert.Equal(SweepState.Paused, paused.State);
        Assert.True(paused.Finished < 8);
        Assert.Equal(0, queued);
        Assert.Equal(paused.Created - paused.Finished, pending.Count);

        await fixture.Client.ResumeAsync(submitted.SweepId);
        var rest = await Waits.WatchUntilAsync(fixture.Client, submitted.SweepId, e => e.Kind == SweepEventKinds.SweepFinished, Timeout, after: paused.LastSequence);
        var trials = await fixture.Stores.Trials.ListAsync(submitted.SweepId);

        Assert.Contains(rest, e => e.Kind == SweepEventKinds.SweepResumed);
        Assert.Equal(8, trials.Count);
        Assert.All(trials, t => Assert.Equal(TrialState.Completed, t.State));
        Assert.NotEmpty(untilFirst);
        Assert.NotEmpty(afterPause);
    }

    [Fact]
    public async Task Failed_attempts_are_retried_then_the_trial_fails_with_its_error()
    {
        var retried = await fixture.Client.SubmitAsync(Specs.Quadratic("retried", trials: 3, parallelism: 3, epochs: 2, delayMs: 0, retries: 1, failAttempts: 1));
        var failing = await fixture.Client.SubmitAsync(Specs.Quadratic("failing", trials: 2, parallelism: 2, epochs: 2, delayMs: 0, retries: 1, failAttempts: 5));

        await Waits.WatchUntilAsync(fixture.Client, retried.SweepId, e => e.Kind == SweepEventKinds.SweepFinished, Timeout);
        await Waits.WatchUntilAsync(fixture.Client, failing.SweepId, e => e.Kind == SweepEventKinds.SweepFinished, Timeout);
        var recovered = await fixture.Stores.Trials.ListAsync(retried.SweepId);
        var failed = await fixture.Stores.Trials.ListAsync(failing.SweepId);

        Assert.All(recovered, t => Assert.Equal((TrialState.Completed, 2), (t.State, t.Attempt)));
        Assert.All(failed, t => Assert.Equal((TrialState.Failed, 2), (t.State, t.Attempt)));
        Assert.All(failed, t => Assert.Contains("fails on purpose", t.Error));
    }

    [Fact]
    public async Task Concurrent_sweeps_share_the_slots()
    {
        // 6 slots. A alone would keep all of them (it refills as each trial ends); a fair scheduler splits them.
        var a = await fixture.Client.SubmitAsync(Specs.Quadratic("fair-a", trials: 18, parallelism: 6, epochs: 2, delayMs: 30, seed: 2));
        var b = await fixture.Client.SubmitAsync(Specs.Quadratic("fair-b", trials: 18, parallelism: 6, epochs: 2, delayMs: 30, seed: 3));

        var eventsA = await Waits.WatchUntilAsync(fixture.Client, a.SweepId, e => e.Kind == SweepEventKinds.SweepFinished, Timeout);
        var eventsB = await Waits.WatchUntilAsync(fixture.Client, b.SweepId, e => e.Kind == SweepEventKinds.SweepFinished, Timeout);
        var aFinished = eventsA[^1].Time;
        var bStartedBeforeAFinished = eventsB.Count(e => e.Kind == SweepEventKinds.TrialStarted && e.Time < aFinished);

        // Fair share: both progress at about the same rate, so B has started nearly all its trials when A ends;
        // first-come-first-served would have let B start at most the last few.
        Assert.True(bStartedBeforeAFinished >= 13, $"B started only {bStartedBeforeAFinished} of 18 trials before A finished");
    }
}
