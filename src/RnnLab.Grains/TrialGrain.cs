using System.Text.Json;
using RnnLab.Grains.Execution;
using RnnLab.Storage;
using RnnLab.Sweeps.Spec;
using TrialState = RnnLab.Sweeps.Trials.TrialState;

namespace RnnLab.Grains;

/// <summary>
/// One trial's state machine. Attempts are numbered; a call naming any other attempt than the current one comes
/// from a worker that lost its lease and changes nothing. The final result goes to the database through a
/// conditional update, so it is recorded exactly once however often it is reported.
/// </summary>
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
    private TrialRecord _record = null!;
    private SweepSpec _spec = null!;
    private TrialState _state;
    private int _attempt;
    private string? _worker;
    private int _failures;
    private double? _best;

    // The epoch the next report should carry; null until known in this activation.
    private int? _nextEpoch;

    private ISweepGrain Sweep => grains.GetGrain<ISweepGrain>(_record.SweepId);

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _record = await trials.GetAsync(this.GetPrimaryKey(), cancellationToken)
            ?? throw new KeyNotFoundException($"Trial {this.GetPrimaryKey()} does not exist.");
        _spec = await specs.GetAsync(_record.SweepId);
        _state = _record.State.ToDomain();
        _attempt = _record.Attempt;
        _worker = _record.Worker;
    }

    async Task<TrialStart?> ITrialGrain.StartAttempt(string worker)
    {
        if (_state.IsFinal())
        {
            return null;
        }

        var attempt = _attempt + 1;
        // A trial never started before has neither checkpoints nor metric points.
        var resumeFrom = _attempt == 0 ? null : await LastCheckpointEpochAsync();
        var now = time.GetUtcNow().UtcDateTime;
        if (!await trials.MarkRunningAsync(_record.Id, attempt, worker, now + options.LeaseDuration, resumeFrom, now))
        {
            // Finished meanwhile by someone else (the sweep cancelled it while it was queued).
            _state = (await trials.GetAsync(_record.Id))?.State.ToDomain() ?? TrialState.Cancelled;
            return null;
        }

        _attempt = attempt;
        _worker = worker;
        _state = TrialState.Running;
        _nextEpoch = (resumeFrom ?? 0) + 1;
        _buffer.Clear();
        // Points past the checkpoint belong to a lost attempt and are about to be reported again.
        if (attempt > 1)
        {
            await metrics.DeleteAfterEpochAsync(_record.Id, resumeFrom ?? 0);
        }

        _best = resumeFrom is null ? null : await BestSoFarAsync();
        await Sweep.OnTrialStarted(_record.Number, attempt, resumeFrom, worker);
        return new TrialStart(
            _record.Id,
            _record.SweepId,
            _record.Number,
            attempt,
            _spec.Task.Name,
            _spec.Fixed.Merge(Sweeps.Parameters.ParameterSet.FromJson(_record.ParametersJson)).ToJson(),
            resumeFrom,
            options.CheckpointEvery,
            _spec.Task.Options.ToJson(),
            _spec.Metric.Name,
            _spec.Budget.MaxEpochs);
    }

    async Task<TrialDirective> ITrialGrain.ReportEpoch(EpochReport report)
    {
        if (report.Attempt != _attempt || _state != TrialState.Running)
        {
            return TrialDirective.Cancel;
        }

        if (_nextEpoch is null)
        {
            // Re-activated mid-attempt (our silo died): points not yet written died with it.
            var written = await metrics.ReadAsync(_record.Id);
            _nextEpoch = (written.Count == 0 ? 0 : written.Max(p => p.Epoch)) + 1;
            _best = await BestSoFarAsync();
        }

        if (report.Epoch > _nextEpoch)
        {
            // A hole in the recorded epochs: run the trial again from its checkpoint, which is never past them.
            await grains.GetGrain<ISchedulerGrain>(0).Release(_record.Id, _worker ?? "");
            await RequeueAsync($"epochs {_nextEpoch}..{report.Epoch - 1} were lost with a silo", null);
            return TrialDirective.Cancel;
        }

        if (report.Epoch < _nextEpoch)
        {
            // A report repeated after a lost reply: already recorded.
            return TrialDirective.Continue;
        }

        _nextEpoch = report.Epoch + 1;
        foreach (var (name, value) in report.Metrics.Where(pair => !RuntimeMetrics.Contains(pair.Key)))
        {
            _buffer.Add(new MetricPoint(_record.Id, report.Epoch, name, value));
        }

        double? objective = report.Metrics.TryGetValue(_spec.Metric.Name, out var v) ? v : null;
        if (objective is { } o && double.IsFinite(o) && (_best is not { } b || _spec.Metric.ToLoss(o) < _spec.Metric.ToLoss(b)))
        {
            _best = o;
        }

        // Points up to a checkpoint must be durable before the checkpoint is, or a resume would leave a hole.
        if (report.Epoch % options.CheckpointEvery == 0 || _buffer.Count >= MetricBatch)
        {
            await FlushMetricsAsync();
        }

        return await Sweep.OnEpoch(_record.Number, report.Epoch, objective);
    }

    async Task<bool> ITrialGrain.Finish(TrialResult result)
    {
        // Only the running attempt may finish the trial; after a lost lease it is Pending again.
        if (result.Attempt != _attempt || _state != TrialState.Running)
        {
            return false;
        }

        if (!result.State.IsFinal())
        {
            throw new ArgumentException($"A trial cannot finish in state {result.State}.", nameof(result));
        }

        await FlushMetricsAsync();
        var objective = result.State is TrialState.Completed or TrialState.Pruned ? _best : null;
        var outcome = new TrialOutcome(
            result.State.ToStored(),
            JsonSerializer.Serialize(new { epochs = result.Epochs, metrics = Finite(result.FinalMetrics) }),
            objective,
            result.Error,
            time.GetUtcNow().UtcDateTime);
        var recorded = await trials.TryFinishAsync(_record.Id, outcome);
        _state = recorded ? result.State : (await trials.GetAsync(_record.Id))?.State.ToDomain() ?? result.State;
        await grains.GetGrain<ISchedulerGrain>(0).Release(_record.Id, _worker ?? "");
        if (recorded)
        {
            await Sweep.OnTrialFinished(_record.Number, result.State, objective);
        }

        return recorded;
    }

    async Task ITrialGrain.Fail(int attempt, string error)
    {
        if (attempt != _attempt || _state != TrialState.Running)
        {
            return;
        }

        _failures++;
        await grains.GetGrain<ISchedulerGrain>(0).Release(_record.Id, _worker ?? "");
        if (_failures > _spec.Retries)
        {
            await ((ITrialGrain)this).Finish(new TrialResult(attempt, TrialState.Failed, 0, new Dictionary<string, double>(), error));
            return;
        }

        var delay = options.RetryBackoff * Math.Pow(2, _failures - 1);
        await RequeueAsync($"attempt {attempt} failed: {error}", time.GetUtcNow().UtcDateTime + delay);
    }

    async Task ITrialGrain.Abandon(string worker, string reason)
    {
        if (_state != TrialState.Running || worker != _worker)
        {
            return;
        }

        await grains.GetGrain<ISchedulerGrain>(0).Release(_record.Id, worker);
        await RequeueAsync(reason, null);
    }

    private async Task RequeueAsync(string reason, DateTime? notBefore)
    {
        _buffer.Clear();
        if (await trials.RequeueAsync(_record.Id, reason))
        {
            _state = TrialState.Pending;
            _worker = null;
            await Sweep.OnTrialRequeued(_record.Number, reason, notBefore);
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

    private Task<int?> LastCheckpointEpochAsync() => checkpoints.GetLatestEpochAsync(_record.Id);

    private async Task<double?> BestSoFarAsync()
    {
        var points = await metrics.ReadAsync(_record.Id);
        var values = points.Where(p => p.Name == _spec.Metric.Name && double.IsFinite(p.Value)).Select(p => p.Value).ToList();
        if (values.Count == 0)
        {
            return null;
        }

        return _spec.Metric.Direction == MetricDirection.Minimize ? values.Min() : values.Max();
    }

    private static Dictionary<string, double> Finite(IReadOnlyDictionary<string, double> values) =>
        values.Where(p => double.IsFinite(p.Value)).ToDictionary(p => p.Key, p => p.Value);
}
