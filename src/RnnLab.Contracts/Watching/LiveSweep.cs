using System.Collections.Immutable;
using RnnLab.Contracts.V1;

namespace RnnLab.Contracts.Watching;

/// <summary>
/// What a watch knows of a sweep at one moment: its header, the trials it has seen and how far the event stream got.
/// Immutable: <see cref="SweepReducer"/> returns a new value for every change and never modifies the messages it holds.
/// </summary>
public sealed record LiveSweep
{
    private LiveSweep(Sweep sweep, long lastEvent)
    {
        Sweep = sweep;
        LastEvent = lastEvent;
    }

    /// <summary>The sweep as last read, with the state, budget and best objective that later events reported.</summary>
    public Sweep Sweep { get; init; }

    /// <summary>The trials seen so far (those the snapshot held and those events named since), by number.</summary>
    public ImmutableSortedDictionary<int, LiveTrial> Trials { get; init; } = ImmutableSortedDictionary<int, LiveTrial>.Empty;

    /// <summary>The number of the last event folded in (or the one the snapshot was read at); older events change nothing.</summary>
    public long LastEvent { get; init; }

    /// <summary>The completed trial with the best objective, if there is one.</summary>
    public LiveTrial? Best { get; init; }

    /// <summary>How many of <see cref="Trials"/> are in each state, indexed by <see cref="TrialState"/>.</summary>
    internal ImmutableArray<int> Tally { get; init; } = ImmutableArray.Create(new int[StateCount]);

    internal const int StateCount = (int)TrialState.Cancelled + 1;

    /// <summary>True while the sweep can still change (running or paused).</summary>
    public bool IsLive => Sweep.State is SweepState.Running or SweepState.Paused;

    /// <summary>Trials by state; the sweep's trials this watch has not seen yet count as pending.</summary>
    public TrialCounts Counts
    {
        get
        {
            var counts = new TrialCounts
            {
                Running = Tally[(int)TrialState.Running],
                Completed = Tally[(int)TrialState.Completed],
                Pruned = Tally[(int)TrialState.Pruned],
                Diverged = Tally[(int)TrialState.Diverged],
                Failed = Tally[(int)TrialState.Failed],
                Cancelled = Tally[(int)TrialState.Cancelled],
            };
            var started = counts.Running + Finished;
            counts.Total = Math.Max(Sweep.Trials?.Total ?? 0, Trials.Count);
            counts.Pending = counts.Total - started;
            return counts;
        }
    }

    /// <summary>Trials in a final state.</summary>
    public int Finished =>
        Tally[(int)TrialState.Completed] + Tally[(int)TrialState.Pruned] + Tally[(int)TrialState.Diverged]
        + Tally[(int)TrialState.Failed] + Tally[(int)TrialState.Cancelled];

    /// <summary>A watch of <paramref name="sweep"/> that starts after the sweep's last event and has seen no trial yet.</summary>
    public static LiveSweep Start(Sweep sweep)
    {
        ArgumentNullException.ThrowIfNull(sweep);
        return new LiveSweep(sweep, sweep.LastEvent);
    }
}

/// <summary>A trial as a watch sees it: its state and objective from events, and its record as last read.</summary>
/// <param name="LatestEpoch">The last epoch an event reported (0 before the first).</param>
/// <param name="LatestValue">The objective that epoch reported.</param>
/// <param name="Record">The trial as the snapshot or a later read returned it; null while only events named it.</param>
public sealed record LiveTrial(int Number, TrialState State, double? Objective, int LatestEpoch, double? LatestValue, Trial? Record)
{
    public string Id => Record?.Id ?? "";

    public string Cell => Record?.Cell ?? "";

    public bool IsFinished => SweepReducer.IsFinal(State);

    /// <summary>A completed trial with a finite objective: what competes for the best.</summary>
    public bool HasResult => State == TrialState.Completed && Objective is { } value && double.IsFinite(value);
}
