using RnnLab.Sweeps.Trials;
using System.Text.Json;
using Orleans.Placement;
using RnnLab.Grains.Execution;
using RnnLab.Grains.Trials;
using RnnLab.Storage;
using RnnLab.Sweeps.Spec;
using TrialState = RnnLab.Sweeps.Trials.TrialState;

namespace RnnLab.Grains;

/// <summary>
/// One trial's state machine over its <see cref="TrialAttempts"/>. Attempts are numbered; a call naming any other
/// attempt than the current one comes from a worker that lost its lease and changes nothing. The final result goes to the database through a
/// conditional update, so it is recorded exactly once however often it is reported. It lives on the silo of the
/// worker that first starts it, where its calls are cheapest; if that silo dies it reactivates from the database.
/// </summary>
[PreferLocalPlacement]
internal sealed class TrialGrain(
    ITrialStore trials,
    IMetricStore metrics,
    ICheckpointStore checkpoints,
    SweepSpecCache specs,
    OrchestrationOptions options,
    IGrainFactory grains,
    TimeProvider time) : Grain, ITrialGrain
{
    private const int MetricBatch = 512;
    private readonly List<MetricPoint> _buffer = [];
    // Loaded on the first call: from the assignment for a never-started trial, else from the database.
    private TrialRecord? _record;
    private SweepSpec _spec = null!;
    private TrialAttempts _attempts = null!;
    private double? _best;

    // The last epoch, recorded with the result and announced to the sweep with it.
    private (int Epoch, double? Value)? _lastEpoch;

    /// <summary>The record of a trial no worker ever started, as its assignment describes it.</summary>
    private TrialRecord NeverStarted(TrialAssignment assignment, string parametersJson) => new(
        TrialId, assignment.SweepId, assignment.Number, parametersJson, TrialState.Pending, 0,
        null, null, null, time.GetUtcNow().UtcDateTime, null, null, null, null, null);

    private async Task EnsureLoadedAsync()
    {
        if (_record is null)
        {
            await LoadAsync(null);
        }
    }

    /// <summary>Takes the trial's state from <paramref name="known"/>, or else from the database.</summary>
    private async Task LoadAsync(TrialRecord? known)
    {
        var record = known ?? await trials.GetAsync(TrialId)
            ?? throw new KeyNotFoundException($"Trial {TrialId} does not exist.");
        _spec = await specs.GetAsync(record.SweepId);
        _record = record;
        // Failures counted in this activation survive a reload.
        _attempts ??= new TrialAttempts(_spec.Retries, options.MaxLostAttempts, options.RetryBackoff);
        _attempts.Load(record.State, record.Attempt, record.Worker);
    }

    private TrialRecord Record => _record ?? throw new InvalidOperationException("The trial is not loaded yet.");

    private ISweepCallbacks Sweep => grains.GetGrain<ISweepCallbacks>(Record.SweepId);

    private Guid TrialId => this.GetPrimaryKey();

    async Task<TrialStart?> ITrialGrain.StartAttempt(string worker, TrialAssignment assignment)
    {
        if (_record is null)
        {
            await LoadAsync(assignment.ParametersJson is { } json && assignment.TrialId == TrialId
                ? NeverStarted(assignment, json)
                : null);
        }

        // Two tries: a never-started trial is first taken at its assignment's word, which the conditional update
        // checks; when it was wrong, the database's record is read and the attempt numbered after it.
        for (var tries = 0; tries < 2; tries++)
        {
            if (_attempts.State.IsFinal())
            {
                return null;
            }

            if (_attempts.AttemptsSpent)
            {
                await GiveUpAsync(_attempts.Attempt);
                return null;
            }

            var attempt = _attempts.Attempt + 1;
            // A trial never started before has neither checkpoints nor metric points.
            var resumeFrom = _attempts.Attempt == 0 ? null : await LastCheckpointEpochAsync();
            var now = time.GetUtcNow().UtcDateTime;
            if (await trials.MarkRunningAsync(TrialId, attempt, worker, now + options.LeaseDuration, resumeFrom, now))
            {
                return await BeginAttemptAsync(attempt, worker, resumeFrom);
            }

            // Finished meanwhile (the sweep cancelled it while queued), or started before this activation knew.
            await LoadAsync(null);
        }

        return null;
    }

    /// <summary>
    /// Fails a trial whose attempts are spent: its retries and the lost workers allowed on top of them. The count
    /// of attempts lives in the database, so a trial whose runs keep taking silos down cannot run forever.
    /// </summary>
    private async Task GiveUpAsync(int attempts)
    {
        var error = $"gave up after {attempts} attempts ({_spec.Retries} retries and {options.MaxLostAttempts} lost workers allowed)";
        var outcome = new TrialOutcome(TrialState.Failed, null, null, error, time.GetUtcNow().UtcDateTime);
        if (await trials.TryFinishAsync(TrialId, outcome))
        {
            _attempts.Finished(TrialState.Failed);
            await Sweep.OnTrialFinished(Record.Number, TrialState.Failed, null);
        }
        else
        {
            await LoadAsync(null);
        }
    }

    private async Task<TrialStart> BeginAttemptAsync(int attempt, string worker, int? resumeFrom)
    {
        _attempts.Begin(attempt, worker, resumeFrom);
        _buffer.Clear();
        // Points past the checkpoint belong to a lost attempt and are about to be reported again.
        if (attempt > 1)
        {
            await metrics.DeleteAfterEpochAsync(TrialId, resumeFrom ?? 0);
        }

        _best = resumeFrom is null ? null : await BestSoFarAsync();
        await Sweep.OnTrialStarted(Record.Number, attempt, resumeFrom, worker);
        return new TrialStart(
            TrialId,
            Record.SweepId,
            Record.Number,
            attempt,
            _spec.Task.Name,
            _spec.Fixed.Merge(Sweeps.Parameters.ParameterSet.FromJson(Record.ParametersJson)).ToJson(),
            resumeFrom,
            options.CheckpointEvery,
            _spec.Task.Options.ToJson(),
            _spec.Metric.Name,
            _spec.Budget.MaxEpochs);
    }

    async Task<TrialDirective> ITrialGrain.ReportEpoch(AttemptEpoch report)
    {
        await EnsureLoadedAsync();
        return await RecordEpochAsync(report, last: false);
    }

    /// <summary>
    /// Records one epoch of the running attempt and asks the sweep whether to go on; the last epoch is only
    /// recorded here (it goes to the sweep with the result, and its points with the outcome).
    /// </summary>
    private async Task<TrialDirective> RecordEpochAsync(AttemptEpoch report, bool last)
    {
        if (!_attempts.IsCurrent(report.Attempt))
        {
            return TrialDirective.Cancel;
        }

        if (_attempts.NextEpoch is null)
        {
            // Re-activated mid-attempt (our silo died): points not yet written died with it.
            var written = await metrics.ReadAsync(TrialId);
            _attempts.ResumeAfter(written.Count == 0 ? 0 : written.Max(p => p.Epoch));
            _best = await BestSoFarAsync();
        }

        switch (_attempts.Order(report.Epoch))
        {
            case EpochOrder.Hole:
                // A hole in the recorded epochs: run the trial again from its checkpoint, which is never past them.
                await grains.GetGrain<ISchedulerGrain>(0).Release(TrialId, _attempts.Worker ?? "");
                await RequeueAsync($"epochs {_attempts.NextEpoch}..{report.Epoch - 1} were lost with a silo", null);
                return TrialDirective.Cancel;
            case EpochOrder.Repeated:
                // A report repeated after a lost reply: already recorded.
                return TrialDirective.Continue;
        }

        _attempts.Recorded(report.Epoch);
        foreach (var (name, value) in report.Metrics.Where(pair => !RuntimeMetrics.Contains(pair.Key)))
        {
            _buffer.Add(new MetricPoint(TrialId, report.Epoch, name, value));
        }

        double? objective = report.Metrics.TryGetValue(_spec.Metric.Name, out var v) ? v : null;
        _best = _spec.Metric.Better(_best, objective);

        // Points up to a checkpoint must be durable before the checkpoint is, or a resume would leave a hole.
        if (last)
        {
            _lastEpoch = (report.Epoch, objective);
            return TrialDirective.Continue;
        }

        if (report.Epoch % options.CheckpointEvery == 0 || _buffer.Count >= MetricBatch)
        {
            await FlushMetricsAsync();
        }

        return await Sweep.OnEpoch(Record.Number, report.Epoch, objective);
    }

    async Task<bool> ITrialGrain.Finish(AttemptResult result)
    {
        await EnsureLoadedAsync();
        // Only the running attempt may finish the trial; after a lost lease it is Pending again.
        if (!_attempts.IsCurrent(result.Attempt))
        {
            return false;
        }

        if (!result.State.IsFinal())
        {
            throw new ArgumentException($"A trial cannot finish in state {result.State}.", nameof(result));
        }

        if (result.State == TrialState.Cancelled && !await Sweep.AsksCancelled(Record.Number))
        {
            // Only the sweep ends a trial Cancelled (cancelled, past its time limit, or this trial stopped on request). A worker stops an attempt on its own when its lease was
            // taken away (a restarted scheduler forgot it) or its process is stopping: the trial goes back to the
            // queue and resumes from its checkpoint.
            await grains.GetGrain<ISchedulerGrain>(0).Release(TrialId, _attempts.Worker ?? "");
            await RequeueAsync($"attempt {result.Attempt} was stopped on {_attempts.Worker} without finishing", null);
            return false;
        }

        var state = result.State;
        _lastEpoch = null;
        if (result.LastEpoch is { } last)
        {
            await RecordEpochAsync(last with { Attempt = result.Attempt }, last: true);
            if (_attempts.State != TrialState.Running)
            {
                // The report showed lost epochs: the trial went back to the queue.
                return false;
            }
        }

        var objective = state is TrialState.Completed or TrialState.Pruned ? _best : null;
        var outcome = new TrialOutcome(
            state,
            JsonSerializer.Serialize(new { epochs = result.Epochs, metrics = Finite(result.FinalMetrics) }),
            objective,
            result.Error,
            time.GetUtcNow().UtcDateTime);
        // The last points and the outcome go in one round trip; points always precede the outcome.
        var points = _buffer.ToList();
        _buffer.Clear();
        var recorded = await trials.TryFinishAsync(TrialId, outcome, points);
        _attempts.Finished(recorded ? state : (await trials.GetAsync(TrialId))?.State ?? state);
        // Final either way: nobody leases this trial again, so the release need not be waited for.
        await grains.GetGrain<ISchedulerCallbacks>(0).ReleaseFinished(TrialId, _attempts.Worker ?? "");
        if (recorded)
        {
            await Sweep.OnTrialFinished(Record.Number, state, objective, _lastEpoch?.Epoch, _lastEpoch?.Value);
            // A final trial only answers repeated reports, which its record answers as well.
            DeactivateOnIdle();
        }

        return recorded;
    }

    async Task ITrialGrain.Fail(int attempt, string error)
    {
        await EnsureLoadedAsync();
        if (!_attempts.IsCurrent(attempt))
        {
            return;
        }

        var notBefore = _attempts.Failed(time.GetUtcNow().UtcDateTime);
        await grains.GetGrain<ISchedulerGrain>(0).Release(TrialId, _attempts.Worker ?? "");
        if (notBefore is null)
        {
            await ((ITrialGrain)this).Finish(new AttemptResult(attempt, TrialState.Failed, 0, new Dictionary<string, double>(), error));
            return;
        }

        await RequeueAsync($"attempt {attempt} failed: {error}", notBefore);
    }

    async Task ITrialGrain.Abandon(string worker, string reason)
    {
        await EnsureLoadedAsync();
        if (_attempts.State == TrialState.Pending)
        {
            // Leased but never started (its worker died first): nothing ran, it only needs queueing again
            // (queueing a trial that is already queued changes nothing).
            await Sweep.OnTrialRequeued(Record.Number, reason, null);
            return;
        }

        if (!_attempts.IsRunningOn(worker))
        {
            return;
        }

        await grains.GetGrain<ISchedulerGrain>(0).Release(TrialId, worker);
        await RequeueAsync(reason, null);
    }

    private async Task RequeueAsync(string reason, DateTime? notBefore)
    {
        _buffer.Clear();
        bool requeued;
        try
        {
            requeued = await trials.RequeueAsync(TrialId, reason);
        }
        catch (Exception) when (_attempts.Worker is { } worker)
        {
            // The lease is already released; unless the scheduler tries again, the trial stays Running for good.
            await grains.GetGrain<ISchedulerCallbacks>(0).HandBackLater(TrialId, worker, reason);
            throw;
        }

        if (requeued)
        {
            _attempts.Requeued();
            await Sweep.OnTrialRequeued(Record.Number, reason, notBefore);
        }
    }

    private async Task FlushMetricsAsync()
    {
        if (_buffer.Count == 0)
        {
            return;
        }

        var batch = _buffer.ToList();
        _buffer.Clear();
        await metrics.AppendAsync(batch);
    }

    private Task<int?> LastCheckpointEpochAsync() => checkpoints.GetLatestEpochAsync(TrialId);

    private async Task<double?> BestSoFarAsync()
    {
        var points = await metrics.ReadAsync(TrialId);
        return points.Where(p => p.Name == _spec.Metric.Name).Aggregate((double?)null, (best, p) => _spec.Metric.Better(best, p.Value));
    }

    private static Dictionary<string, double> Finite(IReadOnlyDictionary<string, double> values) =>
        values.Where(p => double.IsFinite(p.Value)).ToDictionary(p => p.Key, p => p.Value);
}
