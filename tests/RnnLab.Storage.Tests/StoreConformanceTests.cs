using Microsoft.EntityFrameworkCore;

namespace RnnLab.Storage.Tests;

/// <summary>The behaviour every storage provider must show; each provider runs it against a real database.</summary>
public abstract partial class StoreConformanceTests(StoreFixture fixture)
{
    private RnnLabStores Stores => fixture.Stores;

    [Fact]
    public async Task Migrations_are_all_applied()
    {
        await using var context = fixture.Database.CreateContext();
        var pending = await context.Database.GetPendingMigrationsAsync();
        var applied = await context.Database.GetAppliedMigrationsAsync();
        Assert.Empty(pending);
        Assert.NotEmpty(applied);
    }

    [Fact]
    public async Task Creating_a_sweep_twice_with_one_key_returns_the_first()
    {
        var key = Guid.NewGuid().ToString();
        var (first, created) = await Stores.Sweeps.CreateAsync(new NewSweep("a", "spec: 1", key));
        var (second, createdAgain) = await Stores.Sweeps.CreateAsync(new NewSweep("b", "spec: 2", key));

        Assert.True(created);
        Assert.False(createdAgain);
        Assert.Equal(first.Id, second.Id);
        Assert.Equal("spec: 1", second.SpecText);
        Assert.Equal(SweepState.Running, second.State);
    }

    [Fact]
    public async Task Concurrent_submissions_with_one_key_create_one_sweep()
    {
        var key = Guid.NewGuid().ToString();
        var results = await Task.WhenAll(Enumerable.Range(0, 6)
            .Select(i => Stores.Sweeps.CreateAsync(new NewSweep($"s{i}", "spec", key))));

        Assert.Single(results, r => r.Created);
        Assert.Single(results.Select(r => r.Sweep.Id).Distinct());
    }

    [Fact]
    public async Task Sweep_without_name_is_rejected_with_a_clear_error()
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(() => Stores.Sweeps.CreateAsync(new NewSweep(" ", "spec")));
        Assert.Contains("name", error.Message);
    }

    [Fact]
    public async Task Sweeps_finished_since_a_time_are_the_final_ones_from_then_on_in_order()
    {
        var since = new DateTime(2031, 5, 6, 7, 8, 9, DateTimeKind.Utc).AddMinutes(Random.Shared.Next(100_000));
        var (before, _) = await Stores.Sweeps.CreateAsync(new NewSweep("finished-before", "spec"));
        var (later, _) = await Stores.Sweeps.CreateAsync(new NewSweep("finished-later", "spec"));
        var (first, _) = await Stores.Sweeps.CreateAsync(new NewSweep("finished-first", "spec"));
        var (running, _) = await Stores.Sweeps.CreateAsync(new NewSweep("still-running", "spec"));
        await Stores.Sweeps.SetStateAsync(before.Id, SweepState.Completed, since.AddSeconds(-1));
        await Stores.Sweeps.SetStateAsync(later.Id, SweepState.Failed, since.AddSeconds(2));
        await Stores.Sweeps.SetStateAsync(first.Id, SweepState.Completed, since);

        var finished = (await Stores.Sweeps.ListFinishedSinceAsync(since)).Select(s => s.Id).ToList();

        Assert.DoesNotContain(before.Id, finished);
        Assert.DoesNotContain(running.Id, finished);
        Assert.True(finished.IndexOf(first.Id) >= 0 && finished.IndexOf(first.Id) < finished.IndexOf(later.Id),
            $"expected {first.Id} then {later.Id} in [{string.Join(", ", finished)}]");
        await Assert.ThrowsAsync<ArgumentException>(() => Stores.Sweeps.ListFinishedSinceAsync(DateTime.SpecifyKind(since, DateTimeKind.Local)));
    }

    [Fact]
    public async Task Unfinished_sweeps_exclude_final_ones_and_times_are_utc()
    {
        var (running, _) = await Stores.Sweeps.CreateAsync(new NewSweep("running", "spec"));
        var (paused, _) = await Stores.Sweeps.CreateAsync(new NewSweep("paused", "spec"));
        var (done, _) = await Stores.Sweeps.CreateAsync(new NewSweep("done", "spec"));
        await Stores.Sweeps.SetStateAsync(paused.Id, SweepState.Paused, null);
        var finishedAt = new DateTime(2026, 1, 2, 3, 4, 5, DateTimeKind.Utc);
        await Stores.Sweeps.SetStateAsync(done.Id, SweepState.Completed, finishedAt);

        var unfinished = (await Stores.Sweeps.ListUnfinishedAsync()).Select(s => s.Id).ToList();
        var reread = await Stores.Sweeps.GetAsync(done.Id);

        Assert.Contains(running.Id, unfinished);
        Assert.Contains(paused.Id, unfinished);
        Assert.DoesNotContain(done.Id, unfinished);
        Assert.Equal(SweepState.Completed, reread!.State);
        Assert.Equal(finishedAt, reread.FinishedAt);
        Assert.Equal(DateTimeKind.Utc, reread.CreatedAt.Kind);
    }

    [Fact]
    public async Task Sweeps_are_listed_newest_first_in_pages_filtered_by_state()
    {
        var name = $"page-{Guid.NewGuid():N}";
        var ids = new List<Guid>();
        for (var i = 0; i < 3; i++)
        {
            ids.Add((await Stores.Sweeps.CreateAsync(new NewSweep(name, "spec"))).Sweep.Id);
        }

        await Stores.Sweeps.SetStateAsync(ids[1], SweepState.Failed, DateTime.UtcNow);
        var all = await Stores.Sweeps.ListAsync([], 0, 10_000);
        var failed = await Stores.Sweeps.ListAsync([SweepState.Failed], 0, 10_000);
        var ours = all.Items.Where(s => s.Name == name).Select(s => s.Id).ToList();
        var firstPage = await Stores.Sweeps.ListAsync([], 0, 1);

        Assert.Equal([ids[2], ids[1], ids[0]], ours);
        Assert.Contains(ids[1], failed.Items.Select(s => s.Id));
        Assert.DoesNotContain(ids[0], failed.Items.Select(s => s.Id));
        Assert.All(failed.Items, s => Assert.Equal(SweepState.Failed, s.State));
        Assert.Single(firstPage.Items);
        Assert.Equal(all.Total, firstPage.Total);
    }

    [Fact]
    public async Task Setting_the_state_of_a_missing_sweep_names_it()
    {
        var id = Guid.NewGuid();
        var error = await Assert.ThrowsAsync<KeyNotFoundException>(() => Stores.Sweeps.SetStateAsync(id, SweepState.Paused, null));
        Assert.Contains(id.ToString(), error.Message);
    }

    [Fact]
    public async Task Trials_are_listed_by_number_and_filtered_by_state()
    {
        var sweep = await NewSweepAsync();
        for (var n = 2; n >= 0; n--)
        {
            await Stores.Trials.AddAsync(new NewTrial(sweep, n, $"{{\"lr\": {n}}}"));
        }

        var all = await Stores.Trials.ListAsync(sweep);
        await Stores.Trials.MarkRunningAsync(all[1].Id, 1, "worker-a", DateTime.UtcNow.AddMinutes(1), null, DateTime.UtcNow);
        var running = await Stores.Trials.ListAsync(sweep, TrialState.Running);
        var pending = await Stores.Trials.ListAsync(sweep, TrialState.Pending);

        Assert.Equal([0, 1, 2], all.Select(t => t.Number));
        Assert.Contains("\"lr\"", all[2].ParametersJson);
        Assert.Equal(1, Assert.Single(running).Number);
        Assert.Equal("worker-a", running[0].Worker);
        Assert.Equal([0, 2], pending.Select(t => t.Number));
    }

    [Fact]
    public async Task Active_trials_are_the_pending_and_running_ones_of_unfinished_sweeps()
    {
        var live = await NewSweepAsync();
        var done = await NewSweepAsync();
        var pending = await Stores.Trials.AddAsync(new NewTrial(live, 0, "{}"));
        var running = await Stores.Trials.AddAsync(new NewTrial(live, 1, "{}"));
        var finished = await Stores.Trials.AddAsync(new NewTrial(live, 2, "{}"));
        var orphan = await Stores.Trials.AddAsync(new NewTrial(done, 0, "{}"));
        await Stores.Trials.MarkRunningAsync(running.Id, 1, "w", DateTime.UtcNow, null, DateTime.UtcNow);
        await Stores.Trials.TryFinishAsync(finished.Id, new TrialOutcome(TrialState.Completed, "{}", 1, null, DateTime.UtcNow));
        await Stores.Sweeps.SetStateAsync(done, SweepState.Cancelled, DateTime.UtcNow);

        var active = (await Stores.Trials.ListActiveAsync()).Select(t => t.Id).ToList();

        Assert.Contains(pending.Id, active);
        Assert.Contains(running.Id, active);
        Assert.DoesNotContain(finished.Id, active);
        Assert.DoesNotContain(orphan.Id, active);
    }

    [Fact]
    public async Task A_trial_number_is_unique_within_its_sweep()
    {
        var sweep = await NewSweepAsync();
        await Stores.Trials.AddAsync(new NewTrial(sweep, 0, "{}"));
        await Assert.ThrowsAsync<StorageConflictException>(() => Stores.Trials.AddAsync(new NewTrial(sweep, 0, "{}")));
    }

    [Fact]
    public async Task A_final_result_is_recorded_exactly_once_under_concurrent_reports()
    {
        var trial = await NewTrialAsync();
        var outcomes = Enumerable.Range(0, 6).Select(i => new TrialOutcome(
            TrialState.Completed, $"{{\"loss\": {i}}}", i, null, DateTime.UtcNow)).ToList();

        var accepted = await Task.WhenAll(outcomes.Select(o => Stores.Trials.TryFinishAsync(trial.Id, o)));
        var stored = await Stores.Trials.GetAsync(trial.Id);
        var winner = outcomes[Array.IndexOf(accepted, true)];

        Assert.Single(accepted, a => a);
        Assert.Equal(TrialState.Completed, stored!.State);
        Assert.Equal(winner.Objective, stored.Objective);
        Assert.False(await Stores.Trials.TryFinishAsync(trial.Id, new TrialOutcome(TrialState.Failed, null, null, "late", DateTime.UtcNow)));
        Assert.Equal(TrialState.Completed, (await Stores.Trials.GetAsync(trial.Id))!.State);
    }

    [Fact]
    public async Task Finishing_in_a_non_final_state_is_rejected()
    {
        var trial = await NewTrialAsync();
        await Assert.ThrowsAsync<ArgumentException>(() =>
            Stores.Trials.TryFinishAsync(trial.Id, new TrialOutcome(TrialState.Running, null, null, null, DateTime.UtcNow)));
    }

    [Fact]
    public async Task A_lost_lease_requeues_the_trial_but_never_a_finished_one()
    {
        var trial = await NewTrialAsync();
        var lease = new DateTime(2030, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        Assert.True(await Stores.Trials.MarkRunningAsync(trial.Id, 1, "silo-1", lease, 4, DateTime.UtcNow));
        var running = await Stores.Trials.GetAsync(trial.Id);
        Assert.True(await Stores.Trials.RequeueAsync(trial.Id, "silo-1 died"));
        var requeued = await Stores.Trials.GetAsync(trial.Id);
        await Stores.Trials.TryFinishAsync(trial.Id, new TrialOutcome(TrialState.Pruned, "{}", 1.5, null, DateTime.UtcNow));

        Assert.Equal(lease, running!.LeaseExpiresAt);
        Assert.Equal(4, running.ResumedFromEpoch);
        Assert.Equal(1, running.Attempt);
        Assert.Equal(TrialState.Pending, requeued!.State);
        Assert.Null(requeued.Worker);
        Assert.Equal("silo-1 died", requeued.Error);
        Assert.False(await Stores.Trials.RequeueAsync(trial.Id, null));
        Assert.False(await Stores.Trials.MarkRunningAsync(trial.Id, 2, "silo-2", lease, null, DateTime.UtcNow));
        Assert.Equal(TrialState.Pruned, (await Stores.Trials.GetAsync(trial.Id))!.State);
    }

    [Fact]
    public async Task Best_trials_are_ranked_by_objective()
    {
        var sweep = await NewSweepAsync();
        double?[] objectives = [3.0, 1.0, null, 2.0];
        for (var n = 0; n < objectives.Length; n++)
        {
            var trial = await Stores.Trials.AddAsync(new NewTrial(sweep, n, "{}"));
            if (objectives[n] is { } value)
            {
                await Stores.Trials.TryFinishAsync(trial.Id, new TrialOutcome(TrialState.Completed, "{}", value, null, DateTime.UtcNow));
            }
        }

        var lowest = await Stores.Trials.ListBestAsync(sweep, 2);
        var highest = await Stores.Trials.ListBestAsync(sweep, 10, higherIsBetter: true);

        Assert.Equal([1, 3], lowest.Select(t => t.Number));
        Assert.Equal([0, 3, 1], highest.Select(t => t.Number));
    }

    [Fact]
    public async Task Metric_batches_round_trip_and_resume_drops_later_epochs()
    {
        var trial = await NewTrialAsync();
        var points = Enumerable.Range(1, 500)
            .SelectMany(e => new[] { new MetricPoint(trial.Id, e, "loss", 1.0 / e), new MetricPoint(trial.Id, e, "val_loss", 2.0 / e) })
            .ToList();

        await Stores.Metrics.AppendAsync(points.Take(600).ToList());
        await Stores.Metrics.AppendAsync(points.Skip(600).ToList());
        var read = await Stores.Metrics.ReadAsync(trial.Id);
        var deleted = await Stores.Metrics.DeleteAfterEpochAsync(trial.Id, 10);
        var kept = await Stores.Metrics.ReadAsync(trial.Id);

        Assert.Equal(points, read);
        Assert.Equal(980, deleted);
        Assert.Equal(20, kept.Count);
        Assert.Equal(10, kept.Max(p => p.Epoch));
    }

    [Fact]
    public async Task One_metric_of_several_trials_is_read_in_one_call_grouped_by_trial_and_ordered_by_epoch()
    {
        var first = await NewTrialAsync();
        var second = await NewTrialAsync();
        var unread = await NewTrialAsync();
        // Written out of epoch order and interleaved, with another metric and a trial that is not asked for.
        await Stores.Metrics.AppendAsync([
            new MetricPoint(first.Id, 3, "valid.nll", 0.3), new MetricPoint(second.Id, 1, "valid.nll", 2.1),
            new MetricPoint(first.Id, 1, "valid.nll", 0.1), new MetricPoint(first.Id, 2, "loss", 9),
            new MetricPoint(first.Id, 2, "valid.nll", 0.2), new MetricPoint(unread.Id, 1, "valid.nll", 7),
            new MetricPoint(second.Id, 2, "valid.nll", 2.2)]);

        var read = await Stores.Metrics.ReadAsync([second.Id, first.Id, Guid.NewGuid()], "valid.nll");
        var byTrial = read.GroupBy(p => p.TrialId).ToDictionary(g => g.Key, g => g.ToList());

        Assert.Equal(5, read.Count);
        Assert.Equal(2, read.Select(p => p.TrialId).Distinct().Count());
        Assert.Equal([new MetricPoint(first.Id, 1, "valid.nll", 0.1), new MetricPoint(first.Id, 2, "valid.nll", 0.2), new MetricPoint(first.Id, 3, "valid.nll", 0.3)], byTrial[first.Id]);
        Assert.Equal([new MetricPoint(second.Id, 1, "valid.nll", 2.1), new MetricPoint(second.Id, 2, "valid.nll", 2.2)], byTrial[second.Id]);
        // Each trial's points are contiguous: a reader can cut the list where the trial changes.
        Assert.Equal(2, read.Zip(read.Skip(1)).Count(pair => pair.First.TrialId != pair.Second.TrialId) + 1);
        Assert.Empty(await Stores.Metrics.ReadAsync([first.Id], "accuracy"));
        Assert.Empty(await Stores.Metrics.ReadAsync([], "valid.nll"));
        await Assert.ThrowsAsync<ArgumentException>(() => Stores.Metrics.ReadAsync([first.Id], ""));
    }

    [Fact]
    public async Task A_metric_point_without_a_name_is_rejected()
    {
        var trial = await NewTrialAsync();
        var error = await Assert.ThrowsAsync<ArgumentException>(() =>
            Stores.Metrics.AppendAsync([new MetricPoint(trial.Id, 1, "", 0)]));
        Assert.Contains("no name", error.Message);
    }

    [Fact]
    public async Task Only_the_latest_checkpoint_is_kept()
    {
        var trial = await NewTrialAsync();
        Assert.Null(await Stores.Checkpoints.GetLatestAsync(trial.Id));
        Assert.Null(await Stores.Checkpoints.GetLatestEpochAsync(trial.Id));

        await Stores.Checkpoints.SaveAsync(trial.Id, 2, [1, 2, 3]);
        await Stores.Checkpoints.SaveAsync(trial.Id, 4, [4, 5, 6, 7]);
        var latest = await Stores.Checkpoints.GetLatestAsync(trial.Id);
        await using var context = fixture.Database.CreateContext();
        var count = await context.Checkpoints.CountAsync(c => c.TrialId == trial.Id);

        Assert.Equal(4, latest!.Epoch);
        Assert.Equal(4, await Stores.Checkpoints.GetLatestEpochAsync(trial.Id));
        Assert.Equal(new byte[] { 4, 5, 6, 7 }, latest.Bytes);
        Assert.Equal(1, count);
    }

    [Fact]
    public async Task Events_resume_after_a_sequence_number()
    {
        var sweep = await NewSweepAsync();
        var now = DateTime.UtcNow;
        var events = Enumerable.Range(1, 5)
            .Select(i => new SweepEventRecord(sweep, i, "epoch", $"{{\"epoch\": {i}}}", now)).ToList();

        Assert.Equal(0, await Stores.Sweeps.LastEventSequenceAsync(sweep));
        await Stores.Sweeps.AppendEventsAsync(events.Take(2).ToList());
        await Stores.Sweeps.AppendEventsAsync(events.Skip(2).ToList());
        var after2 = await Stores.Sweeps.ReadEventsAsync(sweep, 2, 100);
        var firstTwo = await Stores.Sweeps.ReadEventsAsync(sweep, 0, 2);

        Assert.Equal([3L, 4L, 5L], after2.Select(e => e.Sequence));
        Assert.Contains("\"epoch\"", after2[0].PayloadJson);
        Assert.Equal([1L, 2L], firstTwo.Select(e => e.Sequence));
        Assert.Equal(5, await Stores.Sweeps.LastEventSequenceAsync(sweep));
        await Assert.ThrowsAsync<StorageConflictException>(() => Stores.Sweeps.AppendEventsAsync([events[0]]));
    }

    private async Task<Guid> NewSweepAsync() => (await Stores.Sweeps.CreateAsync(new NewSweep("sweep", "spec"))).Sweep.Id;

    private async Task<TrialRecord> NewTrialAsync() => await Stores.Trials.AddAsync(new NewTrial(await NewSweepAsync(), 0, "{}"));

    [Fact]
    public async Task A_checkpoint_from_an_attempt_that_no_longer_runs_is_refused()
    {
        var (sweep, _) = await Stores.Sweeps.CreateAsync(new NewSweep("fenced", "spec"));
        var trial = await Stores.Trials.AddAsync(new NewTrial(sweep.Id, 0, "{}"));
        var lease = DateTime.UtcNow.AddMinutes(1);

        Assert.False(await Stores.Checkpoints.SaveAsync(trial.Id, attempt: 1, 2, [1]));
        Assert.True(await Stores.Trials.MarkRunningAsync(trial.Id, 1, "worker-a", lease, null, DateTime.UtcNow));
        Assert.True(await Stores.Checkpoints.SaveAsync(trial.Id, attempt: 1, 2, [2]));
        // The lease went to another worker: attempt 2 runs from epoch 2, attempt 1's later snapshot must not land.
        Assert.True(await Stores.Trials.RequeueAsync(trial.Id, "lease expired"));
        Assert.False(await Stores.Checkpoints.SaveAsync(trial.Id, attempt: 1, 4, [4]));
        Assert.True(await Stores.Trials.MarkRunningAsync(trial.Id, 2, "worker-b", lease, 2, DateTime.UtcNow));
        Assert.False(await Stores.Checkpoints.SaveAsync(trial.Id, attempt: 1, 6, [6]));
        Assert.True(await Stores.Checkpoints.SaveAsync(trial.Id, attempt: 2, 4, [8]));

        var latest = await Stores.Checkpoints.GetLatestAsync(trial.Id);
        Assert.Equal(4, latest!.Epoch);
        Assert.Equal(new byte[] { 8 }, latest.Bytes);
    }
}

public sealed class SqliteStoreTests(SqliteStoreFixture fixture) : StoreConformanceTests(fixture), IClassFixture<SqliteStoreFixture>;

public sealed class PostgresStoreTests(PostgresStoreFixture fixture) : StoreConformanceTests(fixture), IClassFixture<PostgresStoreFixture>;
