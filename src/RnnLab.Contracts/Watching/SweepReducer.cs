using System.Collections.Immutable;
using RnnLab.Contracts.V1;

namespace RnnLab.Contracts.Watching;

/// <summary>
/// Folds what a watch learns into a <see cref="LiveSweep"/>. Pure: the same view and update give the same result, and
/// the inputs are never modified. Events are numbered without gaps, so one at or below <see cref="LiveSweep.LastEvent"/>
/// (a repeat after a resume, or one the snapshot already covers) changes nothing.
/// </summary>
public static class SweepReducer
{
    public static LiveSweep Reduce(LiveSweep view, WatchUpdate update)
    {
        ArgumentNullException.ThrowIfNull(view);
        return update switch
        {
            WatchUpdate.SnapshotRead read => Reduce(view, read.Snapshot),
            WatchUpdate.EventRead read => Reduce(view, read.Event),
            WatchUpdate.SweepRead read => Reduce(view, read.Sweep),
            WatchUpdate.TrialsRead read => Merge(view, read.Trials),
            WatchUpdate.ConnectionLost or WatchUpdate.ConnectionRestored => view,
            _ => throw new ArgumentOutOfRangeException(nameof(update), update, "not a watch update"),
        };
    }

    /// <summary>Applies one event; trial events for a trial not seen yet add it without a record.</summary>
    public static LiveSweep Reduce(LiveSweep view, SweepEvent item)
    {
        ArgumentNullException.ThrowIfNull(view);
        ArgumentNullException.ThrowIfNull(item);
        if (item.Sequence <= view.LastEvent)
        {
            return view;
        }

        var next = view with { LastEvent = item.Sequence };
        var number = item.TrialNumber;
        switch (item.Kind)
        {
            case SweepEventKinds.TrialStarted:
                var started = Known(next, number);
                next = Put(next, started.IsFinished ? started : started with { State = TrialState.Running });
                break;
            case SweepEventKinds.TrialRequeued:
                if (next.Trials.TryGetValue(number, out var requeued) && !requeued.IsFinished)
                {
                    next = Put(next, requeued with { State = TrialState.Pending });
                }

                break;
            case SweepEventKinds.Epoch:
                var running = Known(next, number);
                next = Put(next, running with
                {
                    State = running.State == TrialState.Pending ? TrialState.Running : running.State,
                    LatestEpoch = item.Epoch,
                    LatestValue = item.HasValue ? item.Value : null,
                });
                break;
            case SweepEventKinds.TrialFinished:
                var finished = Known(next, number);
                next = Put(next, finished with
                {
                    State = IsFinal(item.TrialState) ? item.TrialState : TrialState.Completed,
                    Objective = item.HasValue ? item.Value : finished.Objective,
                });
                break;
            case SweepEventKinds.SweepExtended when item.HasValue:
                next = WithSweep(next, s => s.Budget += (int)item.Value);
                break;
        }

        if (item.SweepState != SweepState.Unspecified && item.SweepState != next.Sweep.State)
        {
            next = WithSweep(next, s => s.State = item.SweepState);
        }

        return next;
    }

    /// <summary>
    /// Takes the snapshot's sweep and trials; trials seen before but missing from it were pending when it was read.
    /// A snapshot older than the view (read before its last event) only adds trials the view has not seen.
    /// </summary>
    public static LiveSweep Reduce(LiveSweep view, SweepSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(view);
        ArgumentNullException.ThrowIfNull(snapshot);
        if (snapshot.Sweep is null || snapshot.Sweep.LastEvent < view.LastEvent)
        {
            return Merge(view, snapshot.Trials);
        }

        var trials = view.Trials.ToBuilder();
        foreach (var (number, known) in view.Trials)
        {
            if (known.State != TrialState.Pending)
            {
                trials[number] = known with { State = TrialState.Pending };
            }
        }

        foreach (var record in snapshot.Trials)
        {
            trials[record.Number] = FromRecord(record, view.Trials.GetValueOrDefault(record.Number));
        }

        return Recount(view with { Sweep = snapshot.Sweep, LastEvent = snapshot.Sweep.LastEvent, Trials = trials.ToImmutable() });
    }

    /// <summary>Takes a sweep read after the view's last event; from an older read it keeps the state and budget events set.</summary>
    public static LiveSweep Reduce(LiveSweep view, Sweep sweep)
    {
        ArgumentNullException.ThrowIfNull(view);
        ArgumentNullException.ThrowIfNull(sweep);
        if (sweep.LastEvent >= view.LastEvent)
        {
            return view with { Sweep = sweep };
        }

        var kept = sweep.Clone();
        kept.State = view.Sweep.State;
        kept.Budget = Math.Max(kept.Budget, view.Sweep.Budget);
        return view with { Sweep = kept };
    }

    /// <summary>
    /// Adds the records of trials read outside the stream. A read carries no event number, so a state never moves back
    /// (pending, running, final) and a final state from an event stays.
    /// </summary>
    public static LiveSweep Merge(LiveSweep view, IEnumerable<Trial> records)
    {
        ArgumentNullException.ThrowIfNull(view);
        ArgumentNullException.ThrowIfNull(records);
        var trials = view.Trials.ToBuilder();
        foreach (var record in records)
        {
            var known = trials.GetValueOrDefault(record.Number);
            var read = FromRecord(record, known);
            trials[record.Number] = known is null || Stage(read.State) > Stage(known.State)
                ? read
                : known with { Record = record, Objective = known.Objective ?? read.Objective };
        }

        return Recount(view with { Trials = trials.ToImmutable() });
    }

    /// <summary>True for the states a trial ends in.</summary>
    public static bool IsFinal(TrialState state) =>
        state is TrialState.Completed or TrialState.Pruned or TrialState.Diverged or TrialState.Failed or TrialState.Cancelled;

    private static int Stage(TrialState state) => IsFinal(state) ? 2 : state == TrialState.Running ? 1 : 0;

    private static LiveTrial Known(LiveSweep view, int number) =>
        view.Trials.GetValueOrDefault(number) ?? new LiveTrial(number, TrialState.Pending, null, 0, null, null);

    private static LiveTrial FromRecord(Trial record, LiveTrial? known) => new(
        record.Number,
        record.State == TrialState.Unspecified ? TrialState.Pending : record.State,
        record.HasObjective ? record.Objective : known?.Objective,
        known?.LatestEpoch ?? 0,
        known?.LatestValue,
        record);

    /// <summary>Stores <paramref name="trial"/>, keeping the counts and the best trial up to date.</summary>
    private static LiveSweep Put(LiveSweep view, LiveTrial trial)
    {
        var before = view.Trials.GetValueOrDefault(trial.Number);
        if (ReferenceEquals(before, trial))
        {
            return view;
        }

        var tally = view.Tally;
        if (before?.State != trial.State)
        {
            if (before is not null)
            {
                tally = tally.SetItem((int)before.State, tally[(int)before.State] - 1);
            }

            tally = tally.SetItem((int)trial.State, tally[(int)trial.State] + 1);
        }

        var next = view with { Trials = view.Trials.SetItem(trial.Number, trial), Tally = tally };
        if (view.Best?.Number == trial.Number && !trial.HasResult)
        {
            return Recount(next);
        }

        var best = view.Best?.Number == trial.Number ? trial : Better(view.Best, trial, view.Sweep.Maximize);
        return ReferenceEquals(best, view.Best) ? next : next with { Best = best };
    }

    /// <summary>Counts and the best trial computed afresh, after many trials changed at once.</summary>
    private static LiveSweep Recount(LiveSweep view)
    {
        var tally = new int[LiveSweep.StateCount];
        LiveTrial? best = null;
        foreach (var trial in view.Trials.Values)
        {
            tally[(int)trial.State]++;
            best = Better(best, trial, view.Sweep.Maximize);
        }

        return view with { Tally = ImmutableArray.Create(tally), Best = best };
    }

    private static LiveTrial? Better(LiveTrial? best, LiveTrial candidate, bool maximize)
    {
        if (!candidate.HasResult)
        {
            return best;
        }

        if (best is null)
        {
            return candidate;
        }

        var (a, b) = (candidate.Objective!.Value, best.Objective!.Value);
        var better = maximize ? a > b : a < b;
        return better || (a == b && candidate.Number < best.Number) ? candidate : best;
    }

    /// <summary>A copy of the view with a changed copy of its sweep message: the one it holds is shared and stays as it is.</summary>
    private static LiveSweep WithSweep(LiveSweep view, Action<Sweep> change)
    {
        var sweep = view.Sweep.Clone();
        change(sweep);
        return view with { Sweep = sweep };
    }
}
