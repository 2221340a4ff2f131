using Microsoft.Extensions.Logging;
using RnnLab.Grains.Sweeping;
using RnnLab.Storage;
using RnnLab.Sweeps.Parameters;
using RnnLab.Sweeps.Spec;
using RnnLab.Sweeps.Trials;
using TrialState = RnnLab.Sweeps.Trials.TrialState;

namespace RnnLab.Grains;

/// <summary>
/// One sweep: the Orleans side of its <see cref="SweepProgress"/>, which decides what to propose, stop and complete;
/// the grain stores trials and states, queues trials with the scheduler, runs the time-limit timer and the fill
/// loop, and numbers the sweep's events.
/// </summary>
internal sealed class SweepGrain(
    ISweepStore sweeps,
    ITrialStore trials,
    IGrainFactory grains,
    TimeProvider time,
    ILogger<SweepGrain> logger) : Grain, ISweepGrain, ISweepCallbacks
{
    private SweepRecord _record = null!;
    private SweepSpec _spec = null!;
    private SweepProgress _progress = null!;
    private SweepEventLog _events = null!;
    private bool _finishedAnnounced;
    private bool _fillRequested;
    private Task? _filling;
    private IGrainTimer? _deadlineTimer;

    private Guid SweepId => this.GetPrimaryKey();

    private ISchedulerCallbacks Scheduler => grains.GetGrain<ISchedulerCallbacks>(0);

    private DateTime Now => time.GetUtcNow().UtcDateTime;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _record = await sweeps.GetAsync(SweepId, cancellationToken)
            ?? throw new KeyNotFoundException($"Sweep {SweepId} does not exist.");
        _spec = SweepSpec.ParseOrThrow(_record.SpecText);
        _events = new SweepEventLog(SweepId, sweeps, time, ex => logger.LogWarning(ex, "Writing events of sweep {SweepId} failed; retrying", SweepId));
        await _events.LoadAsync();

        var stored = await trials.ListAsync(SweepId, cancellationToken: cancellationToken);
        _progress = new SweepProgress(_spec, _record.CreatedAt, _record.State, _record.ExtraTrials,
            stored.Select(t => (t.Number, new SweepTrial(t.Id, ParameterSet.FromJson(t.ParametersJson), t.State, t.Objective))));

        // Replaying the persisted reports in their original order restores the rule's state exactly.
        var events = await _events.ReadAllStoredAsync();
        foreach (var e in events)
        {
            if (e is { Kind: SweepEventKinds.Epoch, TrialNumber: { } number, Epoch: { } epoch, Value: { } value })
            {
                _progress.Replay(number, epoch, value);
            }
        }

        // Events are written behind: a silo that died may have taken the last ones with it. The trials table is
        // the truth, so announce what it says happened and the log does not.
        var announced = events.Where(e => e.Kind == SweepEventKinds.TrialFinished && e.TrialNumber is not null)
            .Select(e => e.TrialNumber!.Value).ToHashSet();
        foreach (var (number, entry) in _progress.Trials.Where(p => p.Value.State.IsFinal() && !announced.Contains(p.Key)).OrderBy(p => p.Key))
        {
            _events.Add(SweepEventKinds.TrialFinished, number, value: entry.Objective, trialState: entry.State);
        }

        // A reopened sweep announced its finish before; only a finish after the last reopening counts.
        _finishedAnnounced = events.LastOrDefault(e => e.Kind is SweepEventKinds.SweepFinished or SweepEventKinds.SweepReopened)?.Kind
            == SweepEventKinds.SweepFinished;
        if (!_finishedAnnounced && _progress.State.IsFinal() && _progress.InFlight == 0)
        {
            _finishedAnnounced = true;
            _events.Add(SweepEventKinds.SweepFinished, value: _progress.Best, sweepState: _progress.State);
        }

        if (_progress.Deadline is { } deadline && _progress.State == SweepState.Running)
        {
            var due = deadline - Now;
            _deadlineTimer = this.RegisterGrainTimer(_ => ExpireAsync(), (object?)null, due < TimeSpan.Zero ? TimeSpan.Zero : due, Timeout.InfiniteTimeSpan);
        }

        await _events.FlushAsync();
    }

    /// <summary>
    /// The time limit ran out: no new trial is proposed, pending ones are cancelled, running ones are told to stop
    /// (the trial records itself Cancelled), and the sweep completes with what finished.
    /// </summary>
    private async Task ExpireAsync()
    {
        _deadlineTimer?.Dispose();
        if (!_progress.ShouldExpire(Now))
        {
            return;
        }

        _progress.Expire();
        logger.LogInformation("Sweep {SweepId} reached its time limit of {Limit}", SweepId, _spec.Budget.TimeLimit);
        await Scheduler.Withdraw(SweepId, cancelRunning: true);
        var now = Now;
        var reason = $"the sweep's time limit ({_spec.Budget.TimeLimit}) was reached";
        foreach (var number in _progress.InState(TrialState.Pending))
        {
            if (await trials.TryFinishAsync(_progress.Trials[number].Id, new TrialOutcome(TrialState.Cancelled, null, null, reason, now)))
            {
                _progress.Ended(number, TrialState.Cancelled);
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
        if (_progress.State == SweepState.Running)
        {
            if (_events.LastSequence == 0)
            {
                _events.Add(SweepEventKinds.SweepStarted, sweepState: _progress.State, detail: _record.Name);
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
        if (_progress.State != SweepState.Running)
        {
            return;
        }

        _progress.State = SweepState.Paused;
        await sweeps.SetStateAsync(SweepId, SweepState.Paused, null);
        await Scheduler.Withdraw(SweepId, cancelRunning: false);
        _events.Add(SweepEventKinds.SweepPaused, sweepState: SweepState.Paused);
        await _events.FlushAsync();
    }

    async Task ISweepGrain.Resume()
    {
        if (_progress.State != SweepState.Paused)
        {
            return;
        }

        _progress.State = SweepState.Running;
        await sweeps.SetStateAsync(SweepId, SweepState.Running, null);
        _events.Add(SweepEventKinds.SweepResumed, sweepState: SweepState.Running);
        await EnqueuePendingAsync();
        await FillNowAsync();
        await _events.FlushAsync();
    }

    async Task ISweepGrain.Cancel()
    {
        if (_progress.State.IsFinal())
        {
            return;
        }

        _progress.State = SweepState.Cancelled;
        await sweeps.SetStateAsync(SweepId, SweepState.Cancelled, Now);
        await Scheduler.Withdraw(SweepId, cancelRunning: true);
        var now = Now;
        foreach (var number in _progress.InState(TrialState.Pending))
        {
            if (await trials.TryFinishAsync(_progress.Trials[number].Id, new TrialOutcome(TrialState.Cancelled, null, null, "sweep cancelled", now)))
            {
                _progress.Ended(number, TrialState.Cancelled);
                _events.Add(SweepEventKinds.TrialFinished, number, trialState: TrialState.Cancelled);
            }
        }

        await CompleteIfDoneAsync();
        await _events.FlushAsync();
    }

    async Task<SweepStatus> ISweepGrain.Extend(int additionalTrials)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(additionalTrials);
        _progress.ExtraTrials = await sweeps.AddTrialsAsync(SweepId, additionalTrials);
        _progress.Exhausted = false;
        _events.Add(SweepEventKinds.SweepExtended, value: additionalTrials, detail: $"budget {_progress.Budget} trials");
        if (_progress.State.IsFinal())
        {
            await ReopenAsync();
        }

        if (_progress.State == SweepState.Running)
        {
            await FillNowAsync();
        }

        await _events.FlushAsync();
        return Status();
    }

    async Task<int> ISweepGrain.Retry(IReadOnlyList<TrialState> states)
    {
        var queued = new List<QueuedTrial>();
        foreach (var (number, entry) in _progress.Trials.Where(p => states.Contains(p.Value.State)).OrderBy(p => p.Key).ToList())
        {
            if (await trials.ReopenAsync(entry.Id))
            {
                _progress.Reopened(number);
                _events.Add(SweepEventKinds.TrialRequeued, number, detail: $"retried on request (was {entry.State.ToString().ToLowerInvariant()})");
                queued.Add(new QueuedTrial(entry.Id, number, ParametersJson: entry.Parameters.ToJson()));
            }
        }

        if (queued.Count > 0)
        {
            if (_progress.State.IsFinal())
            {
                await ReopenAsync();
            }

            if (_progress.State == SweepState.Running)
            {
                await Scheduler.Enqueue(SweepId, queued);
            }
        }

        await _events.FlushAsync();
        return queued.Count;
    }

    async Task<bool> ISweepGrain.StopTrial(int number, bool prune)
    {
        if (_progress.Unfinished(number) is not { } entry)
        {
            return false;
        }

        _events.Add(SweepEventKinds.TrialStopRequested, number, detail: prune ? "prune" : "cancel");
        if (entry.State == TrialState.Pending)
        {
            // A queued trial never starts once it is final: its start is a conditional update that finds it finished.
            var state = prune ? TrialState.Pruned : TrialState.Cancelled;
            if (await trials.TryFinishAsync(entry.Id, new TrialOutcome(state, null, null, "stopped on request", Now)))
            {
                _progress.Stopped(number, state);
                _events.Add(SweepEventKinds.TrialFinished, number, trialState: state);
                await CompleteIfDoneAsync();
                await _events.FlushAsync();
                return true;
            }
        }

        // Running (or started meanwhile): its next epoch report is answered with stop or cancel.
        _progress.RequestStop(number, prune);
        await _events.FlushAsync();
        return true;
    }

    Task<bool> ISweepCallbacks.AsksCancelled(int number) => Task.FromResult(_progress.AsksCancelled(number, Now));

    /// <summary>Makes a finished sweep run again (extended, or trials retried).</summary>
    private async Task ReopenAsync()
    {
        _progress.State = SweepState.Running;
        _finishedAnnounced = false;
        await sweeps.SetStateAsync(SweepId, SweepState.Running, null);
        await Scheduler.Readmit(SweepId);
        _events.Add(SweepEventKinds.SweepReopened, sweepState: SweepState.Running);
        await EnqueuePendingAsync();
    }

    Task<IReadOnlyList<SweepEvent>> ISweepGrain.WaitForEvents(long afterSequence, int maxCount, TimeSpan maxWait) =>
        _events.ReadAsync(afterSequence, maxCount, maxWait);

    Task ISweepCallbacks.OnTrialStarted(int number, int attempt, int? resumedFromEpoch, string worker)
    {
        _progress.Started(number);
        _events.Add(SweepEventKinds.TrialStarted, number, resumedFromEpoch,
            detail: $"attempt {attempt} on {worker}");
        _events.WriteBehind();
        return Task.CompletedTask;
    }

    Task<TrialDirective> ISweepCallbacks.OnEpoch(int number, int epoch, double? value)
    {
        if (_progress.StopsAllTrials(Now))
        {
            return Task.FromResult(TrialDirective.Cancel);
        }

        var directive = _progress.OnEpoch(number, epoch, value);
        _events.Add(SweepEventKinds.Epoch, number, epoch, value);
        _events.WriteBehind();
        return Task.FromResult(directive);
    }

    async Task ISweepCallbacks.OnTrialRequeued(int number, string reason, DateTime? notBefore)
    {
        if (_progress.Requeued(number) is not { } entry)
        {
            return;
        }

        _events.Add(SweepEventKinds.TrialRequeued, number, detail: reason);
        if (_progress.State == SweepState.Running && (_progress.TimeUp || _progress.PastDeadline(Now)))
        {
            // Nothing new starts past the time limit: the requeued trial is cancelled with the rest.
            _progress.TimeUp = false;
            await ExpireAsync();
        }
        else if (_progress.State == SweepState.Running)
        {
            await Scheduler.Enqueue(SweepId, [new QueuedTrial(entry.Id, number, notBefore)]);
        }
        else if (_progress.State == SweepState.Cancelled)
        {
            if (await trials.TryFinishAsync(entry.Id, new TrialOutcome(TrialState.Cancelled, null, null, "sweep cancelled", Now)))
            {
                _progress.Ended(number, TrialState.Cancelled);
                _events.Add(SweepEventKinds.TrialFinished, number, trialState: TrialState.Cancelled);
                await CompleteIfDoneAsync();
            }
        }

        _events.WriteBehind();
    }

    Task ISweepCallbacks.OnTrialFinished(int number, TrialState state, double? value, int? lastEpoch, double? lastEpochValue)
    {
        if (!_progress.Finish(number, state, value, lastEpoch, lastEpochValue))
        {
            return Task.CompletedTask;
        }

        if (lastEpoch is { } epoch)
        {
            // The last epoch's report came with the result: subscribers still see it.
            _events.Add(SweepEventKinds.Epoch, number, epoch, lastEpochValue);
        }

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
        var pending = _progress.Trials.Where(p => p.Value.State == TrialState.Pending)
            .Select(p => new QueuedTrial(p.Value.Id, p.Key, ParametersJson: p.Value.Parameters.ToJson())).ToList();
        if (pending.Count > 0)
        {
            await Scheduler.Enqueue(SweepId, pending);
        }
    }

    /// <summary>Proposes trials until the sweep's parallelism is in flight or its budget is spent; stores them in one round trip.</summary>
    private async Task FillAsync()
    {
        if (_progress.ShouldExpire(Now))
        {
            await ExpireAsync();
            return;
        }

        var proposed = _progress.Propose();
        if (proposed.Count > 0)
        {
            var json = proposed.ConvertAll(p => p.Parameters.ToJson());
            var records = await trials.AddRangeAsync(proposed.Select((p, i) => new NewTrial(SweepId, p.Number, json[i])).ToList());
            var added = new List<QueuedTrial>(records.Count);
            for (var i = 0; i < records.Count; i++)
            {
                var (number, parameters) = proposed[i];
                _progress.Added(number, records[i].Id, parameters);
                added.Add(new QueuedTrial(records[i].Id, number, ParametersJson: json[i]));
            }

            await Scheduler.Enqueue(SweepId, added);
        }

        await CompleteIfDoneAsync();
    }

    private async Task CompleteIfDoneAsync()
    {
        if (_progress.Completion() is not { } state || _finishedAnnounced)
        {
            return;
        }

        _progress.State = state;
        _finishedAnnounced = true;
        await sweeps.SetStateAsync(SweepId, state, Now);
        _events.Add(SweepEventKinds.SweepFinished, value: _progress.Best, sweepState: state);
        logger.LogInformation("Sweep {SweepId} finished: {State}, {Trials} trials", SweepId, state, _progress.Created);
    }

    private SweepStatus Status() => new(
        SweepId,
        _record.Name,
        _progress.State,
        _progress.Budget,
        _progress.Created,
        _progress.Running,
        _progress.Finished,
        _events.WrittenSequence,
        _progress.Best);
}
