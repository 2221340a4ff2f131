using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Orleans.Runtime;
using RnnLab.Grains.Execution;
using RnnLab.Storage;
using TrialState = RnnLab.Sweeps.Trials.TrialState;

namespace RnnLab.Grains.Workers;

/// <summary>
/// A worker silo's slots: each slot is a dedicated thread (never the Orleans scheduler) that leases a trial,
/// runs it through its executor, reports every epoch, checkpoints, and finishes it. A heartbeat renews the
/// leases of running trials and learns which to cancel.
/// </summary>
internal sealed class TrialWorker(
    IGrainFactory grains,
    ICheckpointStore checkpoints,
    ILocalSiloDetails silo,
    OrchestrationOptions options,
    TrialExecutorCatalog executors,
    SlotUsage usage,
    ILogger<TrialWorker> logger) : ILifecycleParticipant<ISiloLifecycle>
{
    private static readonly TimeSpan LeaseWait = TimeSpan.FromSeconds(10);
    private readonly ConcurrentDictionary<Guid, CancellationTokenSource> _running = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly List<Thread> _slots = [];
    private WorkerIdentity _identity = null!;
    private Task? _heartbeat;

    private ISchedulerGrain Scheduler => grains.GetGrain<ISchedulerGrain>(0);

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(TrialWorker), ServiceLifecycleStage.Active, StartAsync, StopAsync);

    private Task StartAsync(CancellationToken cancellationToken)
    {
        _identity = new WorkerIdentity(silo.SiloAddress.ToParsableString(), silo.SiloAddress);
        for (var i = 0; i < options.EffectiveSlots; i++)
        {
            var thread = new Thread(RunSlot) { IsBackground = true, Name = $"rnnlab-slot-{i}" };
            _slots.Add(thread);
            thread.Start();
        }

        _heartbeat = Task.Run(HeartbeatLoopAsync, CancellationToken.None);
        logger.LogInformation("Worker {Worker} started with {Slots} slots", _identity.WorkerId, _slots.Count);
        return Task.CompletedTask;
    }

    private async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        foreach (var cts in _running.Values)
        {
            await cts.CancelAsync();
        }

        foreach (var thread in _slots)
        {
            thread.Join(TimeSpan.FromSeconds(10));
        }

        if (_heartbeat is not null)
        {
            await _heartbeat.WaitAsync(TimeSpan.FromSeconds(5), CancellationToken.None).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    private void RunSlot()
    {
        long? lastEnd = null;
        while (!_stopping.IsCancellationRequested)
        {
            TrialAssignment? assignment;
            try
            {
                assignment = Scheduler.Lease(_identity, LeaseWait).WaitAsync(_stopping.Token).GetAwaiter().GetResult();
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (Exception ex)
            {
                logger.LogWarning(ex, "Leasing a trial failed; retrying");
                _stopping.Token.WaitHandle.WaitOne(TimeSpan.FromMilliseconds(250));
                continue;
            }

            if (assignment is null)
            {
                lastEnd = null;
                continue;
            }

            var begin = Stopwatch.GetTimestamp();
            Run(assignment);
            var end = Stopwatch.GetTimestamp();
            usage.Record(lastEnd is { } previous ? begin - previous : 0, end - begin);
            lastEnd = end;
        }
    }

    private void Run(TrialAssignment assignment)
    {
        var trial = grains.GetGrain<ITrialGrain>(assignment.TrialId);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
        _running[assignment.TrialId] = cts;
        TrialStart? start = null;
        var platformFailed = false;
        try
        {
            start = Call(() => trial.StartAttempt(_identity.WorkerId));
            if (start is null)
            {
                Call(() => Scheduler.Release(assignment.TrialId, _identity.WorkerId));
                return;
            }

            var checkpoint = start.ResumeFromEpoch is null
                ? null
                : checkpoints.GetLatestAsync(start.TrialId).GetAwaiter().GetResult()?.Bytes;
            var attempt = start.Attempt;
            var trialId = start.TrialId;
            var execution = new TrialExecution(
                start,
                checkpoint,
                (epoch, metrics) => Platform(ref platformFailed, () => OnEpoch(trial, attempt, epoch, metrics, cts)),
                (epoch, bytes) => Platform(ref platformFailed, () =>
                {
                    checkpoints.SaveAsync(trialId, epoch, bytes).GetAwaiter().GetResult();
                    return true;
                }));
            var outcome = executors.Get(start.TaskName).Execute(execution, cts.Token);
            if (_stopping.IsCancellationRequested && outcome.State == TrialState.Cancelled)
            {
                // The silo is shutting down, not the sweep: someone else runs it from its checkpoint.
                TryReport(() => trial.Abandon(_identity.WorkerId, $"worker {_identity.WorkerId} shut down"));
                return;
            }

            Call(() => trial.Finish(new TrialResult(attempt, outcome.State, outcome.Epochs, outcome.FinalMetrics)));
        }
        catch (Exception ex) when (start is not null && !platformFailed && !_stopping.IsCancellationRequested)
        {
            // The trial's own code threw: that counts against the sweep's retries.
            logger.LogWarning(ex, "Trial {TrialId} attempt {Attempt} failed", start.TrialId, start.Attempt);
            TryReport(() => trial.Fail(start.Attempt, ex.Message));
        }
        catch (Exception ex)
        {
            // The platform failed (silo gone, shutting down): not the trial's fault, it runs again elsewhere.
            logger.LogWarning(ex, "Trial {TrialId} could not run on {Worker}", assignment.TrialId, _identity.WorkerId);
            TryReport(() => trial.Abandon(_identity.WorkerId, $"worker {_identity.WorkerId}: {ex.Message}"));
        }
        finally
        {
            _running.TryRemove(assignment.TrialId, out _);
        }
    }

    private static T Platform<T>(ref bool failed, Func<T> call)
    {
        try
        {
            return call();
        }
        catch
        {
            failed = true;
            throw;
        }
    }

    private EpochDecision OnEpoch(ITrialGrain trial, int attempt, int epoch, IReadOnlyDictionary<string, double> metrics, CancellationTokenSource cts)
    {
        var report = new EpochReport(attempt, epoch, new Dictionary<string, double>(metrics));
        var directive = Call(() => trial.ReportEpoch(report));
        if (directive == TrialDirective.Cancel)
        {
            cts.Cancel();
        }

        return directive == TrialDirective.Continue ? EpochDecision.Continue : EpochDecision.Stop;
    }

    private void Call(Func<Task> call) => Call(async () =>
    {
        await call();
        return true;
    });

    /// <summary>
    /// Calls a grain from a slot thread, retrying while the cluster heals (a grain's silo died and it is being
    /// re-activated elsewhere); gives up when this silo stops.
    /// </summary>
    private T Call<T>(Func<Task<T>> call)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return call().GetAwaiter().GetResult();
            }
            catch (Exception ex) when (ex is OrleansException or TimeoutException && attempt < 30 && !_stopping.IsCancellationRequested)
            {
                logger.LogDebug(ex, "Grain call failed; retrying");
                _stopping.Token.WaitHandle.WaitOne(TimeSpan.FromMilliseconds(Math.Min(1000, 100 * (attempt + 1))));
            }
        }
    }

    private void TryReport(Func<Task> report)
    {
        try
        {
            report().GetAwaiter().GetResult();
        }
        catch (Exception ex)
        {
            // The lease will expire and the scheduler requeues the trial.
            logger.LogWarning(ex, "Reporting to a trial grain failed");
        }
    }

    private async Task HeartbeatLoopAsync()
    {
        var period = options.LeaseDuration / 3;
        using var timer = new PeriodicTimer(period);
        try
        {
            while (await timer.WaitForNextTickAsync(_stopping.Token))
            {
                var running = _running.Keys.ToList();
                if (running.Count == 0)
                {
                    continue;
                }

                try
                {
                    foreach (var id in await Scheduler.Heartbeat(_identity, running))
                    {
                        if (_running.TryGetValue(id, out var cts))
                        {
                            await cts.CancelAsync();
                        }
                    }
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    logger.LogWarning(ex, "Heartbeat failed");
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}
