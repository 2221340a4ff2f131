using Google.Protobuf.WellKnownTypes;
using RnnLab.Contracts.V1;
using RnnLab.Contracts.Watching;

namespace RnnLab.Server.Tests.Watching;

/// <summary>The pure fold of watch updates into a sweep's view: order, repeats after a resume, final states.</summary>
public sealed class SweepReducerTests
{
    private const string Id = "5f1c0d8e-0000-0000-0000-000000000001";

    [Fact]
    public void Events_in_order_move_trials_through_their_states()
    {
        var view = Fold(Start(total: 3), Started(1, 1), Started(2, 2), Epoch(3, 1, 1, 0.9), Epoch(4, 1, 2, 0.5),
            Finished(5, 1, TrialState.Completed, 0.4), Started(6, 3), Finished(7, 2, TrialState.Pruned, 0.8), Requeued(8, 3));

        Assert.Equal(8, view.LastEvent);
        Assert.Equal([TrialState.Completed, TrialState.Pruned, TrialState.Pending], view.Trials.Values.Select(t => t.State));
        Assert.Equal((2, 0.5), (view.Trials[1].LatestEpoch, view.Trials[1].LatestValue));
        Assert.Equal(0.4, view.Trials[1].Objective);
        var counts = view.Counts;
        Assert.Equal((3, 1, 0, 1, 1), (counts.Total, counts.Pending, counts.Running, counts.Completed, counts.Pruned));
        Assert.Equal(2, view.Finished);
        Assert.Equal(1, view.Best!.Number);
    }

    [Fact]
    public void Trials_not_seen_yet_count_as_pending()
    {
        var view = Reduce(Start(total: 10), Snapshot(0, 10, Record(1, TrialState.Running), Record(2, TrialState.Completed, 1), Record(3, TrialState.Completed, 2)));

        var counts = view.Counts;
        Assert.Equal((10, 7, 1, 2), (counts.Total, counts.Pending, counts.Running, counts.Completed));
    }

    [Fact]
    public void Events_repeated_after_a_resume_change_nothing()
    {
        SweepEvent[] events = [Started(1, 1), Epoch(2, 1, 1, 0.7), Finished(3, 1, TrialState.Completed, 0.7), Started(4, 2), Epoch(5, 2, 1, 0.3)];
        var once = Fold(Start(total: 2), events);

        var again = Fold(once, events);
        var interleaved = Fold(Start(total: 2), [.. events[..3], .. events[..3], .. events[3..], events[4]]);

        Assert.Same(once, again);
        Assert.Equal(Describe(once), Describe(interleaved));
    }

    [Fact]
    public void A_snapshot_covers_the_events_read_before_it_and_later_events_apply_on_top()
    {
        var view = Fold(Start(total: 3), Started(1, 1), Started(2, 2));

        // The snapshot was read at event 4: trial 1 finished, trial 2 was requeued; events 3 and 4 arrive again after it.
        view = Reduce(view, Snapshot(4, 3, Record(1, TrialState.Completed, 0.2)));
        view = Fold(view, Finished(3, 1, TrialState.Completed, 0.2), Requeued(4, 2), Started(5, 2), Finished(6, 2, TrialState.Completed, 0.1));

        Assert.Equal(6, view.LastEvent);
        Assert.Equal([TrialState.Completed, TrialState.Completed], view.Trials.Values.Select(t => t.State));
        Assert.Equal(2, view.Best!.Number);
        Assert.Equal((3, 1, 2), (view.Counts.Total, view.Counts.Pending, view.Counts.Completed));
    }

    [Fact]
    public void A_final_trial_state_stays_and_the_sweep_ends_in_its_final_state()
    {
        var start = Start(total: 1);
        var view = Fold(start, Started(1, 1), Finished(2, 1, TrialState.Diverged, null), Started(3, 1), Requeued(4, 1), Epoch(5, 1, 3, 0.1),
            SweepStateChanged(6, SweepEventKinds.SweepFinished, SweepState.Completed));

        Assert.Equal(TrialState.Diverged, view.Trials[1].State);
        Assert.Null(view.Best);
        Assert.Equal(SweepState.Completed, view.Sweep.State);
        Assert.False(view.IsLive);
        Assert.Equal(1, view.Counts.Diverged);
        // The messages a view holds are never changed: the start still shows the sweep running.
        Assert.Equal(SweepState.Running, start.Sweep.State);
    }

    [Fact]
    public void A_sweep_paused_and_resumed_is_live_and_an_extension_raises_the_budget()
    {
        var paused = Fold(Start(total: 2), SweepStateChanged(1, SweepEventKinds.SweepPaused, SweepState.Paused));
        var extended = Fold(paused, SweepStateChanged(2, SweepEventKinds.SweepResumed, SweepState.Running),
            new SweepEvent { Sequence = 3, Kind = SweepEventKinds.SweepExtended, Value = 4 });

        Assert.True(paused.IsLive);
        Assert.Equal(SweepState.Paused, paused.Sweep.State);
        Assert.Equal((SweepState.Running, 6), (extended.Sweep.State, extended.Sweep.Budget));
    }

    [Fact]
    public void The_best_trial_follows_the_direction_of_the_objective()
    {
        SweepEvent[] events = [Finished(1, 1, TrialState.Completed, 0.3), Finished(2, 2, TrialState.Completed, 0.9), Finished(3, 3, TrialState.Pruned, 5),
            Finished(4, 4, TrialState.Completed, double.NaN)];

        Assert.Equal(1, Fold(Start(total: 4), events).Best!.Number);
        Assert.Equal(2, Fold(Start(total: 4, maximize: true), events).Best!.Number);
    }

    [Fact]
    public void Trials_read_outside_the_stream_fill_in_records_without_moving_states_back()
    {
        var view = Fold(Start(total: 3), Started(1, 1), Finished(2, 1, TrialState.Completed, 0.5), Started(3, 2));
        Assert.Null(view.Trials[1].Record);

        var merged = Reduce(view, new WatchUpdate.TrialsRead([Record(1, TrialState.Running), Record(2, TrialState.Completed, 0.6), Record(3, TrialState.Running)]));

        Assert.Equal(["t1", "t2", "t3"], merged.Trials.Values.Select(t => t.Id));
        Assert.Equal("lstm", merged.Trials[1].Cell);
        Assert.Equal([TrialState.Completed, TrialState.Completed, TrialState.Running], merged.Trials.Values.Select(t => t.State));
        Assert.Equal((3, 0, 1, 2), (merged.Counts.Total, merged.Counts.Pending, merged.Counts.Running, merged.Counts.Completed));
        Assert.Equal(0.5, merged.Trials[1].Objective);
    }

    [Fact]
    public void A_sweep_read_older_than_the_events_keeps_their_state()
    {
        var view = Fold(Start(total: 1), SweepStateChanged(1, SweepEventKinds.SweepPaused, SweepState.Paused));
        var older = new Sweep { Id = Id, State = SweepState.Running, LastEvent = 0, Name = "renamed", Trials = new TrialCounts { Total = 1 } };
        var newer = older.Clone();
        newer.LastEvent = 1;

        Assert.Equal((SweepState.Paused, "renamed"), (Reduce(view, older).Sweep.State, Reduce(view, older).Sweep.Name));
        Assert.Equal(SweepState.Running, Reduce(view, newer).Sweep.State);
        Assert.Same(view, Reduce(view, new WatchUpdate.ConnectionLost(1, "Unavailable", TimeSpan.Zero)));
    }

    [Fact]
    public void Event_kinds_of_the_api_are_the_ones_the_grains_emit()
    {
        static string[] Kinds(System.Type type) =>
            type.GetFields().Where(f => f.IsLiteral).Select(f => (string)f.GetRawConstantValue()!).Order(StringComparer.Ordinal).ToArray();

        Assert.Equal(Kinds(typeof(RnnLab.Grains.SweepEventKinds)), Kinds(typeof(SweepEventKinds)));
    }

    private static LiveSweep Start(int total, bool maximize = false) => LiveSweep.Start(new Sweep
    {
        Id = Id,
        Name = "odyssey",
        State = SweepState.Running,
        Objective = "val_loss",
        Maximize = maximize,
        Budget = total,
        Trials = new TrialCounts { Total = total, Pending = total },
    });

    private static LiveSweep Reduce(LiveSweep view, SweepSnapshot snapshot) => SweepReducer.Reduce(view, new WatchUpdate.SnapshotRead(snapshot));

    private static LiveSweep Reduce(LiveSweep view, Sweep sweep) => SweepReducer.Reduce(view, new WatchUpdate.SweepRead(sweep));

    private static LiveSweep Reduce(LiveSweep view, WatchUpdate update) => SweepReducer.Reduce(view, update);

    private static LiveSweep Fold(LiveSweep view, params SweepEvent[] events) =>
        events.Aggregate(view, (current, e) => SweepReducer.Reduce(current, new WatchUpdate.EventRead(e)));

    private static string Describe(LiveSweep view) =>
        $"{view.LastEvent} {view.Counts} {view.Best?.Number} "
        + string.Join(";", view.Trials.Values.Select(t => $"{t.Number}:{t.State}:{t.Objective}:{t.LatestEpoch}:{t.LatestValue}"));

    private static SweepSnapshot Snapshot(long lastEvent, int total, params Trial[] trials)
    {
        var snapshot = new SweepSnapshot
        {
            Sweep = new Sweep { Id = Id, Name = "odyssey", State = SweepState.Running, Objective = "val_loss", LastEvent = lastEvent, Trials = new TrialCounts { Total = total } },
        };
        snapshot.Trials.AddRange(trials);
        return snapshot;
    }

    private static Trial Record(int number, TrialState state, double? objective = null)
    {
        var trial = new Trial { Id = $"t{number}", SweepId = Id, Number = number, State = state, Cell = "lstm", Parameters = new Struct() };
        trial.Parameters.Fields["lr"] = Value.ForNumber(0.01);
        if (objective is { } value)
        {
            trial.Objective = value;
        }

        return trial;
    }

    private static SweepEvent Started(long sequence, int trial) => new() { Sequence = sequence, Kind = SweepEventKinds.TrialStarted, TrialNumber = trial };

    private static SweepEvent Requeued(long sequence, int trial) => new() { Sequence = sequence, Kind = SweepEventKinds.TrialRequeued, TrialNumber = trial };

    private static SweepEvent Epoch(long sequence, int trial, int epoch, double value) =>
        new() { Sequence = sequence, Kind = SweepEventKinds.Epoch, TrialNumber = trial, Epoch = epoch, Value = value };

    private static SweepEvent Finished(long sequence, int trial, TrialState state, double? value)
    {
        var e = new SweepEvent { Sequence = sequence, Kind = SweepEventKinds.TrialFinished, TrialNumber = trial, TrialState = state };
        if (value is { } v)
        {
            e.Value = v;
        }

        return e;
    }

    private static SweepEvent SweepStateChanged(long sequence, string kind, SweepState state) => new() { Sequence = sequence, Kind = kind, SweepState = state };
}
