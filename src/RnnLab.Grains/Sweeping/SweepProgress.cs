using RnnLab.Sweeps.Parameters;
using RnnLab.Sweeps.Sampling;
using RnnLab.Sweeps.Spec;
using RnnLab.Sweeps.Stopping;

namespace RnnLab.Grains.Sweeping;

/// <summary>
/// A sweep's progress, free of Orleans and storage: its trials by number with running counts, what the sampler
/// proposes next within budget and parallelism, early-stopping and stop-on-request directives, the time limit,
/// the best value, and when the sweep is complete. The grain persists and announces what this decides.
/// </summary>
internal sealed class SweepProgress
{
    private readonly Dictionary<int, SweepTrial> _trials = [];
    // Running trials asked to stop, by number: true to prune, false to cancel.
    private readonly Dictionary<int, bool> _stopRequested = [];
    // Trials told to cancel on request, whose cancelled result is theirs to keep.
    private readonly HashSet<int> _cancelledOnRequest = [];
    private readonly SweepSpec _spec;
    private readonly DateTime _createdAt;
    private readonly ISampler _sampler;
    private readonly IEarlyStopping _stopping;
    private int _finalCount;
    private int _runningCount;

    /// <summary>Restores a sweep from its stored trials; the sampler learns every finished one and what every one proposed.</summary>
    public SweepProgress(SweepSpec spec, DateTime createdAt, SweepState state, int extraTrials, IEnumerable<(int Number, SweepTrial Trial)> trials)
    {
        _spec = spec;
        _createdAt = createdAt;
        State = state;
        ExtraTrials = extraTrials;
        foreach (var (number, trial) in trials)
        {
            Set(number, trial);
        }

        _sampler = SamplerFactory.Restore(spec, _trials.Select(p => Snapshot(p.Key, p.Value)));
        _stopping = EarlyStoppingFactory.Create(spec);
        Best = BestOf(_trials.Values);
    }

    public SweepState State { get; set; }

    /// <summary>Trials added by extending the sweep, on top of its spec's budget.</summary>
    public int ExtraTrials { get; set; }

    public int Budget => _spec.Budget.Trials + ExtraTrials;

    /// <summary>The sampler has nothing more to propose, or the time limit ran out.</summary>
    public bool Exhausted { get; set; }

    /// <summary>The time limit ran out and the sweep was wound down.</summary>
    public bool TimeUp { get; set; }

    public double? Best { get; private set; }

    public int Created => _trials.Count;

    public int Running => _runningCount;

    public int Finished => _finalCount;

    /// <summary>Trials neither final nor unknown; kept with every change, so a busy sweep never scans them.</summary>
    public int InFlight => _trials.Count - _finalCount;

    public IReadOnlyDictionary<int, SweepTrial> Trials => _trials;

    /// <summary>When budget.time_limit runs out, counted from submission (paused time included).</summary>
    public DateTime? Deadline => _spec.Budget.TimeLimit is { } limit ? _createdAt + limit : null;

    public bool PastDeadline(DateTime now) => Deadline is { } deadline && now >= deadline;

    /// <summary>Whether the time limit should wind the sweep down now (it is running and has not yet).</summary>
    public bool ShouldExpire(DateTime now) => !TimeUp && State == SweepState.Running && PastDeadline(now);

    /// <summary>The time limit ran out: nothing new is proposed.</summary>
    public void Expire()
    {
        TimeUp = true;
        Exhausted = true;
    }

    /// <summary>Replays a stored epoch report into the early-stopping rule (in the original order restores its state).</summary>
    public void Replay(int number, int epoch, double value) => _stopping.Report(number, epoch, value);

    /// <summary>Numbers of the trials in <paramref name="state"/>, lowest first.</summary>
    public List<int> InState(TrialState state) => _trials.Where(p => p.Value.State == state).Select(p => p.Key).Order().ToList();

    public void Set(int number, SweepTrial trial)
    {
        if (_trials.TryGetValue(number, out var old))
        {
            _finalCount -= old.State.IsFinal() ? 1 : 0;
            _runningCount -= old.State == TrialState.Running ? 1 : 0;
        }

        _trials[number] = trial;
        _finalCount += trial.State.IsFinal() ? 1 : 0;
        _runningCount += trial.State == TrialState.Running ? 1 : 0;
    }

    /// <summary>The trial if it is known and not final.</summary>
    public SweepTrial? Unfinished(int number) =>
        _trials.TryGetValue(number, out var trial) && !trial.State.IsFinal() ? trial : null;

    /// <summary>An attempt of a trial started.</summary>
    public void Started(int number)
    {
        if (Unfinished(number) is { } trial)
        {
            Set(number, trial with { State = TrialState.Running });
        }
    }

    /// <summary>A trial went back to the queue; null when it is unknown or final.</summary>
    public SweepTrial? Requeued(int number)
    {
        if (Unfinished(number) is not { } trial)
        {
            return null;
        }

        Set(number, trial with { State = TrialState.Pending });
        return trial;
    }

    /// <summary>The sweep ended a pending trial itself (cancelled, time limit): the sampler does not learn it.</summary>
    public void Ended(int number, TrialState state) => Set(number, _trials[number] with { State = state });

    /// <summary>A pending trial was stopped on request: the sampler learns it like any result.</summary>
    public void Stopped(int number, TrialState state)
    {
        var trial = _trials[number] with { State = state };
        Set(number, trial);
        _sampler.Tell(Snapshot(number, trial));
    }

    /// <summary>A finished trial runs again (retried on request): pending, without its result.</summary>
    public void Reopened(int number)
    {
        Set(number, _trials[number] with { State = TrialState.Pending, Objective = null });
        Best = BestOf(_trials.Values);
    }

    /// <summary>
    /// A trial reached its final state; false when it was already final or unknown. The last epoch's report, when it
    /// came with the result, still teaches the early-stopping rule.
    /// </summary>
    public bool Finish(int number, TrialState state, double? value, int? lastEpoch, double? lastEpochValue)
    {
        if (Unfinished(number) is not { } trial)
        {
            return false;
        }

        if (lastEpoch is { } epoch && lastEpochValue is { } v && double.IsFinite(v))
        {
            _stopping.Report(number, epoch, v);
        }

        trial = trial with { State = state, Objective = value };
        Set(number, trial);
        _sampler.Tell(Snapshot(number, trial));
        Best = _spec.Metric.Better(Best, value);
        return true;
    }

    /// <summary>Asks a running trial to stop at its next epoch: pruned, or cancelled.</summary>
    public void RequestStop(int number, bool prune) => _stopRequested[number] = prune;

    /// <summary>Whether every running trial must stop now: the sweep was cancelled or ran out of time.</summary>
    public bool StopsAllTrials(DateTime now) =>
        State == SweepState.Cancelled || TimeUp || (State == SweepState.Running && PastDeadline(now));

    /// <summary>What a trial of a sweep that goes on does after reporting an epoch: a stop on request, or the early-stopping rule.</summary>
    public TrialDirective OnEpoch(int number, int epoch, double? value)
    {
        if (_stopRequested.Remove(number, out var prune))
        {
            if (!prune)
            {
                _cancelledOnRequest.Add(number);
            }

            return prune ? TrialDirective.Stop : TrialDirective.Cancel;
        }

        var decision = value is { } v && double.IsFinite(v) ? _stopping.Report(number, epoch, v) : StoppingDecision.Continue;
        return decision == StoppingDecision.Stop ? TrialDirective.Stop : TrialDirective.Continue;
    }

    /// <summary>Whether the sweep asked this trial to end cancelled (cancelled, out of time, or stopped on request).</summary>
    public bool AsksCancelled(int number, DateTime now) => StopsAllTrials(now) || _cancelledOnRequest.Contains(number);

    /// <summary>
    /// New trials from the sampler, numbered on from the last, until the parallelism is in flight or the budget is
    /// spent; marks the sweep exhausted when the sampler has nothing more. Not yet known: see <see cref="Added"/>.
    /// </summary>
    public List<(int Number, ParameterSet Parameters)> Propose()
    {
        var proposed = new List<(int Number, ParameterSet Parameters)>();
        while (State == SweepState.Running && !Exhausted && _trials.Count + proposed.Count < Budget
            && InFlight + proposed.Count < _spec.Budget.Parallelism)
        {
            var parameters = _sampler.Ask();
            if (parameters is null)
            {
                Exhausted = true;
                break;
            }

            proposed.Add((_trials.Count + proposed.Count, parameters));
        }

        return proposed;
    }

    /// <summary>A proposed trial was stored as <paramref name="id"/>: it is pending.</summary>
    public void Added(int number, Guid id, ParameterSet parameters) => Set(number, new SweepTrial(id, parameters, TrialState.Pending, null));

    /// <summary>The state the sweep ends in now, or null while trials are in flight or more may come.</summary>
    public SweepState? Completion() => InFlight > 0
        ? null
        : State switch
        {
            SweepState.Running when Exhausted || _trials.Count >= Budget => SweepState.Completed,
            SweepState.Cancelled => SweepState.Cancelled,
            _ => null,
        };

    private static TrialSnapshot Snapshot(int number, SweepTrial trial) => new(number, trial.Parameters, trial.State, trial.Objective);

    private double? BestOf(IEnumerable<SweepTrial> trials) =>
        trials.Aggregate((double?)null, (best, t) => _spec.Metric.Better(best, t.Objective));
}
