using Microsoft.Extensions.Logging;
using RnnLab.Storage;
using RnnLab.Sweeps.Parameters;
using RnnLab.Sweeps.Sampling;
using RnnLab.Sweeps.Spec;
using RnnLab.Sweeps.Stopping;
using RnnLab.Sweeps.Trials;
using TrialState = RnnLab.Sweeps.Trials.TrialState;

namespace RnnLab.Grains;

/// <summary>One sweep: samples trials up to its parallelism, decides early stopping, and numbers its events.</summary>
internal sealed class SweepGrain(
    ISweepStore sweeps,
    ITrialStore trials,
    IGrainFactory grains,
    TimeProvider time,
    ILogger<SweepGrain> logger) : Grain, ISweepGrain, ISweepCallbacks
{
    private readonly Dictionary<int, TrialEntry> _trials = [];
    private SweepRecord _record = null!;
    private SweepSpec _spec = null!;
    private ISampler _sampler = null!;
    private IEarlyStopping _stopping = null!;
    private SweepEventLog _events = null!;
    private SweepState _state;
    private bool _exhausted;
    private bool _finishedAnnounced;
    private bool _fillRequested;
    private Task? _filling;
    private double? _best;
    private bool _timeUp;
    private IGrainTimer? _deadlineTimer;

    private Guid SweepId => this.GetPrimaryKey();

    private ISchedulerCallbacks Scheduler => grains.GetGrain<ISchedulerCallbacks>(0);

    private int Budget => _spec.Budget.Trials + _extraTrials;

    // Trials added by ExtendSweep, kept with the sweep's row.
    private int _extraTrials;

    // Running trials asked to stop, by number: true to prune, false to cancel.
    private readonly Dictionary<int, bool> _stopRequested = [];

    // Trials told to cancel on request, whose cancelled result is theirs to keep.
    private readonly HashSet<int> _cancelledOnRequest = [];

    // Trials neither final nor unknown; kept with every change of _trials so a busy sweep never scans them.
    private int InFlight => _trials.Count - _finalCount;

    private int _finalCount;
    private int _runningCount;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _record = await sweeps.GetAsync(SweepId, cancellationToken)
            ?? throw new KeyNotFoundException($"Sweep {SweepId} does not exist.");
        _spec = SweepSpec.ParseOrThrow(_record.SpecText);
        _extraTrials = _record.ExtraTrials;
        _state = _record.State;
        _events = new SweepEventLog(SweepId, sweeps, time, ex => logger.LogWarning(ex, "Writing events of sweep {SweepId} failed; retrying", SweepId));
        await _events.LoadAsync();

        foreach (var t in await trials.ListAsync(SweepId, cancellationToken: cancellationToken))
        {
            Set(t.Number, new TrialEntry(t.Id, ParameterSet.FromJson(t.ParametersJson), t.State, t.Objective));
        }

        var finished = _trials.Select(p => Snapshot(p.Key, p.Value)).Where(s => s.IsFinished);
        _sampler = SamplerFactory.Restore(_spec, _trials.Count, finished);
        _best = BestOf(_trials.Values);

        // Replaying the persisted reports in their original order restores the rule's state exactly.
        _stopping = EarlyStoppingFactory.Create(_spec);
        var stored = await _events.ReadAllStoredAsync();
        foreach (var e in stored)
        {
            if (e is { Kind: SweepEventKinds.Epoch, TrialNumber: { } number, Epoch: { } epoch, Value: { } value })
            {
                _stopping.Report(number, epoch, value);
            }
        }

        // Events are written behind: a silo that died may have taken the last ones with it. The trials table is
        // the truth, so announce what it says happened and the log does not.
        var announced = stored.Where(e => e.Kind == SweepEventKinds.TrialFinished && e.TrialNumber is not null)
            .Select(e => e.TrialNumber!.Value).ToHashSet();
        foreach (var (number, entry) in _trials.Where(p => p.Value.State.IsFinal() && !announced.Contains(p.Key)).OrderBy(p => p.Key))
        {
            _events.Add(SweepEventKinds.TrialFinished, number, value: entry.Objective, trialState: entry.State);
        }

        // A reopened sweep announced its finish before; only a finish after the last reopening counts.
        _finishedAnnounced = stored.LastOrDefault(e => e.Kind is SweepEventKinds.SweepFinished or SweepEventKinds.SweepReopened)?.Kind
            == SweepEventKinds.SweepFinished;
        if (!_finishedAnnounced && _state.IsFinalState() && InFlight == 0)
        {
            _finishedAnnounced = true;
            _events.Add(SweepEventKinds.SweepFinished, value: _best, sweepState: _state);
        }

        if (Deadline is { } deadline && _state == SweepState.Running)
        {
            var due = deadline - time.GetUtcNow().UtcDateTime;
            _deadlineTimer = this.RegisterGrainTimer(_ => ExpireAsync(), (object?)null, due < TimeSpan.Zero ? TimeSpan.Zero : due, Timeout.InfiniteTimeSpan);
        }

        await _events.FlushAsync();
    }

    /// <summary>When budget.time_limit runs out, counted from submission (paused time included).</summary>
    private DateTime? Deadline => _spec.Budget.TimeLimit is { } limit ? _record.CreatedAt + limit : null;

    private bool PastDeadline => Deadline is { } deadline && time.GetUtcNow().UtcDateTime >= deadline;

    /// <summary>
    /// The time limit ran out: no new trial is proposed, pending ones are cancelled, running ones are told to stop
    /// (the trial records itself Cancelled), and the sweep completes with what finished.
    /// </summary>
    private async Task ExpireAsync()
    {
        _deadlineTimer?.Dispose();
        if (_timeUp || _state != SweepState.Running || !PastDeadline)
        {
            return;
        }

        _timeUp = true;
        _exhausted = true;
        logger.LogInformation("Sweep {SweepId} reached its time limit of {Limit}", SweepId, _spec.Budget.TimeLimit);
        await Scheduler.Withdraw(SweepId, cancelRunning: true);
        var now = time.GetUtcNow().UtcDateTime;
        var reason = $"the sweep's time limit ({_spec.Budget.TimeLimit}) was reached";
        foreach (var (number, entry) in _trials.Where(p => p.Value.State == TrialState.Pending).ToList())
        {
            if (await trials.TryFinishAsync(entry.Id, new TrialOutcome(TrialState.Cancelled, null, null, reason, now)))
            {
                Set(number, entry with { State = TrialState.Cancelled });
                _events.Add(SweepEventKinds.TrialFinished, number, trialState: TrialState.Cancelled, detail: reason);
            }
        }

        await CompleteIfDoneAsync();
        await _events.FlushAsync();
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        if (_filling is not null)
        {
            await _filling;
        }

        await _events.FlushAsync();
    }

    async Task<SweepStatus> ISweepGrain.Start()
    {
        if (_state == SweepState.Running)
        {
            if (_events.LastSequence == 0)
            {
                _events.Add(SweepEventKinds.SweepStarted, sweepState: _state, detail: _record.Name);
            }

            await EnqueuePendingAsync();
            await FillNowAsync();
        }

        await _events.FlushAsync();
        return Status();
    }

    Task<SweepStatus> ISweepGrain.GetStatus() => Task.FromResult(Status());

    async Task ISweepGrain.Pause()
    {
        if (_state != SweepState.Running)
        {
            return;
        }

        _state = SweepState.Paused;
        await sweeps.SetStateAsync(SweepId, SweepState.Paused, null);
        await Scheduler.Withdraw(SweepId, cancelRunning: false);
        _events.Add(SweepEventKinds.SweepPaused, sweepState: _state);
        await _events.FlushAsync();
    }

    async Task ISweepGrain.Resume()
    {
        if (_state != SweepState.Paused)
        {
            return;
        }

        _state = SweepState.Running;
        await sweeps.SetStateAsync(SweepId, SweepState.Running, null);
        _events.Add(SweepEventKinds.SweepResumed, sweepState: _state);
        await EnqueuePendingAsync();
        await FillNowAsync();
        await _events.FlushAsync();
    }

    async Task ISweepGrain.Cancel()
    {
        if (_state.IsFinalState())
        {
            return;
        }

        _state = SweepState.Cancelled;
        await sweeps.SetStateAsync(SweepId, SweepState.Cancelled, time.GetUtcNow().UtcDateTime);
        await Scheduler.Withdraw(SweepId, cancelRunning: true);
        var now = time.GetUtcNow().UtcDateTime;
        foreach (var (number, entry) in _trials.Where(p => p.Value.State == TrialState.Pending).ToList())
        {
            if (await trials.TryFinishAsync(entry.Id, new TrialOutcome(TrialState.Cancelled, null, null, "sweep cancelled", now)))
            {
                Set(number, entry with { State = TrialState.Cancelled });
                _events.Add(SweepEventKinds.TrialFinished, number, trialState: TrialState.Cancelled);
            }
        }

        await CompleteIfDoneAsync();
        await _events.FlushAsync();
    }

    async Task<SweepStatus> ISweepGrain.Extend(int additionalTrials)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(additionalTrials);
        _extraTrials = await sweeps.AddTrialsAsync(SweepId, additionalTrials);
        _exhausted = false;
        _events.Add(SweepEventKinds.SweepExtended, value: additionalTrials, detail: $"budget {Budget} trials");
        if (_state.IsFinalState())
        {
            await ReopenAsync();
        }

        if (_state == SweepState.Running)
        {
            await FillNowAsync();
        }

        await _events.FlushAsync();
        return Status();
    }

    async Task<int> ISweepGrain.Retry(IReadOnlyList<TrialState> states)
    {
        var queued = new List<QueuedTrial>();
        foreach (var (number, entry) in _trials.Where(p => states.Contains(p.Value.State)).OrderBy(p => p.Key).ToList())
        {
            if (await trials.ReopenAsync(entry.Id))
            {
                Set(number, entry with { State = TrialState.Pending, Objective = null });
                _events.Add(SweepEventKinds.TrialRequeued, number, detail: $"retried on request (was {entry.State.ToString().ToLowerInvariant()})");
                queued.Add(new QueuedTrial(entry.Id, number, ParametersJson: entry.Parameters.ToJson()));
            }
        }

        if (queued.Count > 0)
        {
            _best = BestOf(_trials.Values);
            if (_state.IsFinalState())
            {
                await ReopenAsync();
            }

            if (_state == SweepState.Running)
            {
                await Scheduler.Enqueue(SweepId, queued);
            }
        }

        await _events.FlushAsync();
        return queued.Count;
    }

    async Task<bool> ISweepGrain.StopTrial(int number, bool prune)
    {
        if (!_trials.TryGetValue(number, out var entry) || entry.State.IsFinal())
        {
            return false;
        }

        _events.Add(SweepEventKinds.TrialStopRequested, number, detail: prune ? "prune" : "cancel");
        if (entry.State == TrialState.Pending)
        {
            // A queued trial never starts once it is final: its start is a conditional update that finds it finished.
            var state = prune ? TrialState.Pruned : TrialState.Cancelled;
            var now = time.GetUtcNow().UtcDateTime;
            if (await trials.TryFinishAsync(entry.Id, new TrialOutcome(state, null, null, "stopped on request", now)))
            {
                Set(number, entry with { State = state });
                _sampler.Tell(Snapshot(number, entry with { State = state }));
                _events.Add(SweepEventKinds.TrialFinished, number, trialState: state);
                await CompleteIfDoneAsync();
                await _events.FlushAsync();
                return true;
            }
        }

        // Running (or started meanwhile): its next epoch report is answered with stop or cancel.
        _stopRequested[number] = prune;
        await _events.FlushAsync();
        return true;
    }

    Task<bool> ISweepCallbacks.AsksCancelled(int number) =>
        Task.FromResult(_state == SweepState.Cancelled || _timeUp || (_state == SweepState.Running && PastDeadline) ||
                        _cancelledOnRequest.Contains(number));

    /// <summary>Makes a finished sweep run again (extended, or trials retried).</summary>
    private async Task ReopenAsync()
    {
        _state = SweepState.Running;
        _finishedAnnounced = false;
        await sweeps.SetStateAsync(SweepId, SweepState.Running, null);
        await Scheduler.Readmit(SweepId);
        _events.Add(SweepEventKinds.SweepReopened, sweepState: _state);
        await EnqueuePendingAsync();
    }

    Task<IReadOnlyList<SweepEvent>> ISweepGrain.WaitForEvents(long afterSequence, int maxCount, TimeSpan maxWait) =>
        _events.ReadAsync(afterSequence, maxCount, maxWait);

    Task ISweepCallbacks.OnTrialStarted(int number, int attempt, int? resumedFromEpoch, string worker)
    {
        if (_trials.TryGetValue(number, out var entry) && !entry.State.IsFinal())
        {
            Set(number, entry with { State = TrialState.Running });
        }

        _events.Add(SweepEventKinds.TrialStarted, number, resumedFromEpoch,
            detail: $"attempt {attempt} on {worker}");
        _events.WriteBehind();
        return Task.CompletedTask;
    }

    Task<TrialDirective> ISweepCallbacks.OnEpoch(int number, int epoch, double? value)
    {
        if (_state == SweepState.Cancelled || _timeUp || (PastDeadline && _state == SweepState.Running))
        {
            return Task.FromResult(TrialDirective.Cancel);
        }

        if (_stopRequested.Remove(number, out var prune))
        {
            if (!prune)
            {
                _cancelledOnRequest.Add(number);
            }

            _events.Add(SweepEventKinds.Epoch, number, epoch, value);
            _events.WriteBehind();
            return Task.FromResult(prune ? TrialDirective.Stop : TrialDirective.Cancel);
        }

        var decision = StoppingDecision.Continue;
        if (value is { } v && double.IsFinite(v))
        {
            decision = _stopping.Report(number, epoch, v);
        }

        _events.Add(SweepEventKinds.Epoch, number, epoch, value);
        _events.WriteBehind();
        return Task.FromResult(decision == StoppingDecision.Stop ? TrialDirective.Stop : TrialDirective.Continue);
    }

    async Task ISweepCallbacks.OnTrialRequeued(int number, string reason, DateTime? notBefore)
    {
        if (!_trials.TryGetValue(number, out var entry) || entry.State.IsFinal())
        {
            return;
        }

        Set(number, entry with { State = TrialState.Pending });
        _events.Add(SweepEventKinds.TrialRequeued, number, detail: reason);
        if (_state == SweepState.Running && (_timeUp || PastDeadline))
        {
            // Nothing new starts past the time limit: the requeued trial is cancelled with the rest.
            _timeUp = false;
            await ExpireAsync();
        }
        else if (_state == SweepState.Running)
        {
            await Scheduler.Enqueue(SweepId, [new QueuedTrial(entry.Id, number, notBefore)]);
        }
        else if (_state == SweepState.Cancelled)
        {
            var now = time.GetUtcNow().UtcDateTime;
            if (await trials.TryFinishAsync(entry.Id, new TrialOutcome(TrialState.Cancelled, null, null, "sweep cancelled", now)))
            {
                Set(number, entry with { State = TrialState.Cancelled });
                _events.Add(SweepEventKinds.TrialFinished, number, trialState: TrialState.Cancelled);
                await CompleteIfDoneAsync();
            }
        }

        _events.WriteBehind();
    }

    Task ISweepCallbacks.OnTrialFinished(int number, TrialState state, double? value, int? lastEpoch, double? lastEpochValue)
    {
        if (!_trials.TryGetValue(number, out var entry) || entry.State.IsFinal())
        {
            return Task.CompletedTask;
        }

        if (lastEpoch is { } epoch)
        {
            // The last epoch's report came with the result: the rule still learns it, subscribers still see it.
            if (lastEpochValue is { } v && double.IsFinite(v))
            {
                _stopping.Report(number, epoch, v);
            }

            _events.Add(SweepEventKinds.Epoch, number, epoch, lastEpochValue);
        }

        entry = entry with { State = state, Objective = value };
        Set(number, entry);
        _sampler.Tell(Snapshot(number, entry));
        _best = _spec.Metric.Better(_best, value);
        _events.Add(SweepEventKinds.TrialFinished, number, value: value, trialState: state);
        // Proposing and storing the next trial happens behind, so the worker's report returns at once.
        FillBehind();
        _events.WriteBehind();
        return Task.CompletedTask;
    }

    /// <summary>Fills through the one fill loop, so two fills never hand out the same trial number.</summary>
    private Task FillNowAsync()
    {
        FillBehind();
        return _filling!;
    }

    private void FillBehind()
    {
        _fillRequested = true;
        if (_filling is null or { IsCompleted: true })
        {
            _filling = FillLoopAsync();
        }
    }

    private async Task FillLoopAsync()
    {
        while (_fillRequested)
        {
            _fillRequested = false;
            try
            {
                await FillAsync();
            }
            catch (Exception ex)
            {
                // The next finished trial (or a restart) fills again; nothing is lost but time.
                logger.LogError(ex, "Filling sweep {SweepId} failed", SweepId);
            }

            _events.WriteBehind();
        }
    }

    private async Task EnqueuePendingAsync()
    {
        var pending = _trials.Where(p => p.Value.State == TrialState.Pending)
            .Select(p => new QueuedTrial(p.Value.Id, p.Key, ParametersJson: p.Value.Parameters.ToJson())).ToList();
        if (pending.Count > 0)
        {
            await Scheduler.Enqueue(SweepId, pending);
        }
    }

    /// <summary>Proposes trials until the sweep's parallelism is in flight or its budget is spent; stores them in one round trip.</summary>
    private async Task FillAsync()
    {
        if (!_timeUp && _state == SweepState.Running && PastDeadline)
        {
            await ExpireAsync();
            return;
        }

        var proposed = new List<(int Number, ParameterSet Parameters)>();
        var inFlight = InFlight;
        while (_state == SweepState.Running && !_exhausted && _trials.Count + proposed.Count < Budget
            && inFlight + proposed.Count < _spec.Budget.Parallelism)
        {
            var parameters = _sampler.Ask();
            if (parameters is null)
            {
                _exhausted = true;
                break;
            }

            proposed.Add((_trials.Count + proposed.Count, parameters));
        }

        if (proposed.Count > 0)
        {
            var json = proposed.ConvertAll(p => p.Parameters.ToJson());
            var records = await trials.AddRangeAsync(proposed.Select((p, i) => new NewTrial(SweepId, p.Number, json[i])).ToList());
            var added = new List<QueuedTrial>(records.Count);
            for (var i = 0; i < records.Count; i++)
            {
                var (number, parameters) = proposed[i];
                Set(number, new TrialEntry(records[i].Id, parameters, TrialState.Pending, null));
                added.Add(new QueuedTrial(records[i].Id, number, ParametersJson: json[i]));
            }

            await Scheduler.Enqueue(SweepId, added);
        }

        await CompleteIfDoneAsync();
    }

    private async Task CompleteIfDoneAsync()
    {
        if (InFlight > 0)
        {
            return;
        }

        var finalState = _state switch
        {
            SweepState.Running when _exhausted || _trials.Count >= Budget => SweepState.Completed,
            SweepState.Cancelled => SweepState.Cancelled,
            _ => (SweepState?)null,
        };
        if (finalState is not { } state || _finishedAnnounced)
        {
            return;
        }

        _state = state;
        _finishedAnnounced = true;
        await sweeps.SetStateAsync(SweepId, state, time.GetUtcNow().UtcDateTime);
        _events.Add(SweepEventKinds.SweepFinished, value: _best, sweepState: state);
        logger.LogInformation("Sweep {SweepId} finished: {State}, {Trials} trials", SweepId, state, _trials.Count);
    }

    private SweepStatus Status() => new(
        SweepId,
        _record.Name,
        _state,
        Budget,
        _trials.Count,
        _runningCount,
        _finalCount,
        _events.WrittenSequence,
        _best);

    /// <summary>Replaces a trial's entry, keeping the in-flight and running counts.</summary>
    private void Set(int number, TrialEntry entry)
    {
        if (_trials.TryGetValue(number, out var old))
        {
            _finalCount -= old.State.IsFinal() ? 1 : 0;
            _runningCount -= old.State == TrialState.Running ? 1 : 0;
        }

        _trials[number] = entry;
        _finalCount += entry.State.IsFinal() ? 1 : 0;
        _runningCount += entry.State == TrialState.Running ? 1 : 0;
    }

    private TrialSnapshot Snapshot(int number, TrialEntry entry) =>
        new(number, entry.Parameters, entry.State, entry.Objective);

    private double? BestOf(IEnumerable<TrialEntry> entries) =>
        entries.Aggregate((double?)null, (best, e) => _spec.Metric.Better(best, e.Objective));

    private sealed record TrialEntry(Guid Id, ParameterSet Parameters, TrialState State, double? Objective);
}

internal static class SweepStateExtensions
{
    public static bool IsFinalState(this SweepState state) => state >= SweepState.Completed;
}
