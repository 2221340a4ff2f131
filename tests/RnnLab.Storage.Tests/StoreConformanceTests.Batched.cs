using Microsoft.EntityFrameworkCore;

namespace RnnLab.Storage.Tests;

/// <summary>The many-at-once writes the grains use: trial lists, stale starts, finishing with the last points.</summary>
public abstract partial class StoreConformanceTests
{
    [Fact]
    public async Task Added_trial_lists_come_back_in_order_with_distinct_ids_and_read_back()
    {
        var sweep = await NewSweepAsync();
        var wanted = new[] { 3, 0, 7, 1 }.Select(n => new NewTrial(sweep, n, $"{{\"n\": {n}}}")).ToList();

        var added = await Stores.Trials.AddRangeAsync(wanted);
        var stored = await Stores.Trials.ListAsync(sweep);

        Assert.Equal([3, 0, 7, 1], added.Select(t => t.Number));
        Assert.Equal(4, added.Select(t => t.Id).Distinct().Count());
        Assert.All(added, t => Assert.Equal(TrialState.Pending, t.State));
        Assert.Equal([0, 1, 3, 7], stored.Select(t => t.Number));
        foreach (var record in added)
        {
            var reread = await Stores.Trials.GetAsync(record.Id);
            Assert.Equal(record.Number, reread!.Number);
            Assert.Equal(sweep, reread.SweepId);
            Assert.Contains($"\"n\": {record.Number}", reread.ParametersJson);
            Assert.Equal(TrialState.Pending, reread.State);
            Assert.Equal(0, reread.Attempt);
        }

        Assert.Empty(await Stores.Trials.AddRangeAsync([]));
    }

    [Fact]
    public async Task A_trial_list_with_a_taken_number_writes_none_of_its_trials()
    {
        var sweep = await NewSweepAsync();
        await Stores.Trials.AddRangeAsync([new NewTrial(sweep, 0, "{}"), new NewTrial(sweep, 1, "{}")]);

        await Assert.ThrowsAsync<StorageConflictException>(() => Stores.Trials.AddRangeAsync(
            [new NewTrial(sweep, 2, "{}"), new NewTrial(sweep, 1, "{}"), new NewTrial(sweep, 3, "{}")]));
        await Assert.ThrowsAsync<StorageConflictException>(() => Stores.Trials.AddRangeAsync(
            [new NewTrial(sweep, 4, "{}"), new NewTrial(sweep, 4, "{}")]));

        Assert.Equal([0, 1], (await Stores.Trials.ListAsync(sweep)).Select(t => t.Number));
    }

    [Fact]
    public async Task A_trial_list_with_a_negative_number_is_rejected_naming_it()
    {
        var sweep = await NewSweepAsync();
        var error = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() =>
            Stores.Trials.AddRangeAsync([new NewTrial(sweep, 0, "{}"), new NewTrial(sweep, -5, "{}")]));

        Assert.Contains("Trial 1", error.Message);
        Assert.Empty(await Stores.Trials.ListAsync(sweep));
    }

    [Fact]
    public async Task A_start_with_an_attempt_not_newer_than_the_stored_one_changes_nothing()
    {
        var trial = await NewTrialAsync();
        var lease = new DateTime(2030, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        Assert.True(await Stores.Trials.MarkRunningAsync(trial.Id, 2, "silo-a", lease, 3, DateTime.UtcNow));

        Assert.False(await Stores.Trials.MarkRunningAsync(trial.Id, 2, "silo-b", lease.AddDays(1), null, DateTime.UtcNow));
        Assert.False(await Stores.Trials.MarkRunningAsync(trial.Id, 1, "silo-c", lease.AddDays(2), null, DateTime.UtcNow));
        var unchanged = await Stores.Trials.GetAsync(trial.Id);
        Assert.True(await Stores.Trials.RequeueAsync(trial.Id, "lease lost"));
        Assert.False(await Stores.Trials.MarkRunningAsync(trial.Id, 2, "silo-d", lease, null, DateTime.UtcNow));
        Assert.True(await Stores.Trials.MarkRunningAsync(trial.Id, 3, "silo-e", lease, 5, DateTime.UtcNow));
        var restarted = await Stores.Trials.GetAsync(trial.Id);

        Assert.Equal(2, unchanged!.Attempt);
        Assert.Equal("silo-a", unchanged.Worker);
        Assert.Equal(lease, unchanged.LeaseExpiresAt);
        Assert.Equal(3, unchanged.ResumedFromEpoch);
        Assert.Equal(3, restarted!.Attempt);
        Assert.Equal("silo-e", restarted.Worker);
        Assert.Equal(TrialState.Running, restarted.State);
    }

    [Fact]
    public async Task Finishing_with_points_stores_both_and_a_second_finish_only_adds_its_points()
    {
        var trial = await NewTrialAsync();
        var finishedAt = new DateTime(2026, 5, 6, 7, 8, 9, DateTimeKind.Utc);
        List<MetricPoint> last = [new(trial.Id, 3, "loss", 0.25), new(trial.Id, 3, "val_loss", 0.5)];

        var first = await Stores.Trials.TryFinishAsync(trial.Id, new TrialOutcome(TrialState.Completed, "{\"loss\": 0.25}", 0.25, null, finishedAt), last);
        var second = await Stores.Trials.TryFinishAsync(trial.Id, new TrialOutcome(TrialState.Failed, null, null, "late", DateTime.UtcNow),
            [new MetricPoint(trial.Id, 4, "loss", 9)]);
        var stored = await Stores.Trials.GetAsync(trial.Id);
        var points = await Stores.Metrics.ReadAsync(trial.Id);

        Assert.True(first);
        Assert.False(second);
        Assert.Equal(TrialState.Completed, stored!.State);
        Assert.Equal(0.25, stored.Objective);
        Assert.Contains("\"loss\"", stored.ResultJson);
        Assert.Null(stored.Error);
        Assert.Equal(finishedAt, stored.FinishedAt);
        Assert.Null(stored.LeaseExpiresAt);
        Assert.Equal([.. last, new MetricPoint(trial.Id, 4, "loss", 9)], points);
    }

    [Fact]
    public async Task Finishing_with_a_point_of_another_trial_or_without_a_name_is_rejected_and_writes_nothing()
    {
        var trial = await NewTrialAsync();
        var other = Guid.NewGuid();
        var outcome = new TrialOutcome(TrialState.Completed, "{}", 1, null, DateTime.UtcNow);

        var foreign = await Assert.ThrowsAsync<ArgumentException>(() => Stores.Trials.TryFinishAsync(trial.Id, outcome,
            [new MetricPoint(trial.Id, 1, "loss", 1), new MetricPoint(other, 1, "loss", 1)]));
        var unnamed = await Assert.ThrowsAsync<ArgumentException>(() => Stores.Trials.TryFinishAsync(trial.Id, outcome,
            [new MetricPoint(trial.Id, 1, "", 1)]));

        Assert.Contains(other.ToString(), foreign.Message);
        Assert.Contains("point 1", foreign.Message);
        Assert.Contains("no name", unnamed.Message);
        Assert.Equal(TrialState.Pending, (await Stores.Trials.GetAsync(trial.Id))!.State);
        Assert.Empty(await Stores.Metrics.ReadAsync(trial.Id));
    }

    [Fact]
    public async Task Two_hundred_concurrent_finishes_of_distinct_trials_are_all_stored()
    {
        var sweep = await NewSweepAsync();
        var trials = await Stores.Trials.AddRangeAsync(Enumerable.Range(0, 200).Select(n => new NewTrial(sweep, n, "{}")).ToList());

        var accepted = await Task.WhenAll(trials.Select(t => Stores.Trials.TryFinishAsync(t.Id,
            new TrialOutcome(TrialState.Completed, "{}", t.Number, null, DateTime.UtcNow),
            [new MetricPoint(t.Id, 1, "loss", t.Number), new MetricPoint(t.Id, 1, "acc", -t.Number)])));
        var stored = await Stores.Trials.ListAsync(sweep);

        Assert.All(accepted, Assert.True);
        Assert.All(stored, t => Assert.Equal(TrialState.Completed, t.State));
        Assert.All(stored, t => Assert.Equal((double)t.Number, t.Objective));
        foreach (var trial in trials)
        {
            var points = await Stores.Metrics.ReadAsync(trial.Id);
            Assert.Equal([new MetricPoint(trial.Id, 1, "acc", -trial.Number), new MetricPoint(trial.Id, 1, "loss", trial.Number)], points);
        }
    }

    [Fact]
    public async Task Concurrent_finishes_of_one_trial_with_points_record_one_outcome()
    {
        var trial = await NewTrialAsync();

        var accepted = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => Stores.Trials.TryFinishAsync(trial.Id,
            new TrialOutcome(TrialState.Completed, "{}", i, null, DateTime.UtcNow), [new MetricPoint(trial.Id, i, "loss", i)])));
        var stored = await Stores.Trials.GetAsync(trial.Id);

        Assert.Single(accepted, a => a);
        Assert.Equal((double)Array.IndexOf(accepted, true), stored!.Objective);
        Assert.Equal(Enumerable.Range(0, 20), (await Stores.Metrics.ReadAsync(trial.Id)).Select(p => p.Epoch));
    }

    [Fact]
    public async Task A_write_that_breaks_a_constraint_fails_alone_among_concurrent_writes()
    {
        var sweep = await NewSweepAsync();
        var trials = await Stores.Trials.AddRangeAsync(Enumerable.Range(0, 30).Select(n => new NewTrial(sweep, n, "{}")).ToList());
        var missing = Guid.NewGuid();
        var lease = DateTime.UtcNow.AddMinutes(5);

        var starts = trials.Select(t => Stores.Trials.MarkRunningAsync(t.Id, 1, "w", lease, null, DateTime.UtcNow)).ToList();
        var appends = trials.Select(t => Stores.Metrics.AppendAsync([new MetricPoint(t.Id, 1, "loss", t.Number)])).ToList();
        var orphan = Stores.Metrics.AppendAsync([new MetricPoint(missing, 1, "loss", 0)]);
        var finishes = trials.Select(t => Stores.Trials.TryFinishAsync(t.Id,
            new TrialOutcome(TrialState.Completed, "{}", t.Number, null, DateTime.UtcNow))).ToList();

        var error = await Assert.ThrowsAnyAsync<Exception>(() => orphan);
        Assert.All(await Task.WhenAll(starts), Assert.True);
        await Task.WhenAll(appends);
        Assert.All(await Task.WhenAll(finishes), Assert.True);
        fixture.AssertForeignKeyViolation(error);
        foreach (var trial in trials)
        {
            Assert.Equal([new MetricPoint(trial.Id, 1, "loss", trial.Number)], await Stores.Metrics.ReadAsync(trial.Id));
            var stored = await Stores.Trials.GetAsync(trial.Id);
            Assert.Equal(TrialState.Completed, stored!.State);
            Assert.Equal(1, stored.Attempt);
        }
    }

    [Fact]
    public async Task Concurrent_event_lists_are_written_whole_and_a_reused_number_fails_only_its_list()
    {
        var sweeps = new List<Guid>();
        for (var i = 0; i < 8; i++)
        {
            sweeps.Add(await NewSweepAsync());
        }

        var now = DateTime.UtcNow;
        SweepEventRecord Event(Guid sweep, long sequence) => new(sweep, sequence, "epoch", $"{{\"n\": {sequence}}}", now);
        await Stores.Sweeps.AppendEventsAsync([Event(sweeps[0], 1)]);

        var clashing = Stores.Sweeps.AppendEventsAsync([Event(sweeps[0], 2), Event(sweeps[0], 1), Event(sweeps[0], 3)]);
        var others = sweeps.Skip(1).Select(s => Stores.Sweeps.AppendEventsAsync(
            Enumerable.Range(1, 50).Select(n => Event(s, n)).ToList())).ToList();

        await Assert.ThrowsAsync<StorageConflictException>(() => clashing);
        await Task.WhenAll(others);
        Assert.Equal(1, await Stores.Sweeps.LastEventSequenceAsync(sweeps[0]));
        foreach (var sweep in sweeps.Skip(1))
        {
            var read = await Stores.Sweeps.ReadEventsAsync(sweep, 0, 100);
            Assert.Equal(Enumerable.Range(1, 50).Select(n => (long)n), read.Select(e => e.Sequence));
            Assert.Contains("\"n\": 50", read[^1].PayloadJson);
        }
    }

    [Fact]
    public async Task Small_and_large_metric_batches_both_round_trip()
    {
        var trial = await NewTrialAsync();
        var large = Enumerable.Range(1, Storage.Postgres.PostgresMetricStore.CopyThreshold + 1)
            .Select(e => new MetricPoint(trial.Id, e, "loss", 1.0 / e)).ToList();
        List<MetricPoint> small = [new(trial.Id, 0, "loss", 7), new(trial.Id, 0, "acc", 0.5)];

        await Stores.Metrics.AppendAsync(large);
        await Stores.Metrics.AppendAsync(small);
        var read = await Stores.Metrics.ReadAsync(trial.Id);

        Assert.Equal([small[1], small[0], .. large], read);
    }
}
