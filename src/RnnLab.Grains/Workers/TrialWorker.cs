using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Orleans.Runtime;
using RnnLab.Grains.Execution;
using RnnLab.Storage;

namespace RnnLab.Grains.Workers;

/// <summary>
/// A worker silo's slots: each slot is a dedicated thread (never the Orleans scheduler) that takes a leased trial
/// and runs it (<see cref="AttemptRunner"/>) while the result of the one before is recorded in the background
/// (<see cref="ResultRecorder"/>). A <see cref="LeaseFeeder"/> keeps trials leased as the
/// <see cref="LeaseAheadPolicy"/> asks, and a <see cref="LeaseHeartbeat"/> renews their leases. This class starts
/// and stops them with the silo.
/// </summary>
internal sealed class TrialWorker(
    IGrainFactory grains,
    ICheckpointStore checkpoints,
    ILocalSiloDetails silo,
    OrchestrationOptions options,
    TrialExecutorCatalog executors,
    SlotUsage usage,
    TimeProvider time,
    ILogger<TrialWorker> logger) : ILifecycleParticipant<ISiloLifecycle>
{
    private readonly CancellationTokenSource _stopping = new();
    private readonly List<Thread> _slots = [];
    private readonly LeasedTrials _leased = new();
    private readonly LeaseAheadPolicy _policy = new(time);
    private WorkerIdentity _identity = null!;
    private RunningTrials _running = null!;
    private ClusterCalls _calls = null!;
    private ResultRecorder _recorder = null!;
    private AttemptRunner _runner = null!;
    private Task? _heartbeat;
    private Task? _feeder;

    private ISchedulerGrain Scheduler => grains.GetGrain<ISchedulerGrain>(0);

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(TrialWorker), ServiceLifecycleStage.Active, StartAsync, StopAsync);

    private Task StartAsync(CancellationToken cancellationToken)
    {
        _identity = new WorkerIdentity(silo.SiloAddress.ToParsableString(), silo.SiloAddress);
        var stopping = _stopping.Token;
        _running = new RunningTrials(stopping);
        _calls = new ClusterCalls(stopping, logger);
        _recorder = new ResultRecorder(_running, _calls, _identity.WorkerId, logger);
        _runner = new AttemptRunner(grains, checkpoints, executors, _running, _recorder, _calls, _identity.WorkerId, stopping, logger);
        for (var i = 0; i < options.EffectiveSlots; i++)
        {
            var thread = new Thread(RunSlot) { IsBackground = true, Name = $"rnnlab-slot-{i}" };
            _slots.Add(thread);
            thread.Start();
        }

        var feeder = new LeaseFeeder(Scheduler, _identity, _leased, _policy, StartAttemptAsync, _slots.Count, logger);
        var heartbeat = new LeaseHeartbeat(Scheduler, _identity, _running, _leased, options.LeaseDuration, logger);
        _feeder = Task.Run(() => feeder.RunAsync(stopping), CancellationToken.None);
        _heartbeat = Task.Run(() => heartbeat.RunAsync(stopping), CancellationToken.None);
        logger.LogInformation("Worker {Worker} started with {Slots} slots", _identity.WorkerId, _slots.Count);
        return Task.CompletedTask;
    }

    private async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        if (_running is null)
        {
            // Never started.
            return;
        }

        await _running.CancelAllAsync();
        foreach (var thread in _slots)
        {
            thread.Join(TimeSpan.FromSeconds(10));
        }

        foreach (var task in new[] { _feeder, _heartbeat })
        {
            if (task is not null)
            {
                await task.WaitAsync(TimeSpan.FromSeconds(5), CancellationToken.None).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }

        // Results already computed are still worth recording; leases taken ahead go back to the queue.
        await _recorder.DrainAsync(TimeSpan.FromSeconds(10));
        var unstarted = new List<Guid>();
        foreach (var prepared in _leased.TakeAll())
        {
            if (prepared.Start is null)
            {
                unstarted.Add(prepared.Assignment.TrialId);
            }
            else
            {
                await Task.Run(() => _runner.AbandonStarted(prepared, $"worker {_identity.WorkerId} shut down"));
            }
        }

        if (unstarted.Count > 0)
        {
            await _calls.TryReportAsync(() => Scheduler.Return(_identity.WorkerId, unstarted));
        }
    }

    /// <summary>One slot: takes the next leased trial, starts it unless that was done ahead, runs it, and times it.</summary>
    private void RunSlot()
    {
        long? lastEnd = null;
        while (!_stopping.IsCancellationRequested)
        {
            var current = _leased.TakeNext(_stopping.Token);
            if (current is null)
            {
                lastEnd = null;
                continue;
            }

            current = current with { Start = current.Start ?? StartAttemptAsync(current.Assignment) };
            // Waiting for the start is the platform's time, not the trial's.
            SlotWait.Until(current.Start);

            var begin = Stopwatch.GetTimestamp();
            _runner.Run(current);
            var end = Stopwatch.GetTimestamp();
            usage.Record(lastEnd is { } previous ? begin - previous : 0, end - begin);
            _policy.TrialRan(current.Assignment.SweepId, Stopwatch.GetElapsedTime(begin, end));
            lastEnd = end;
        }
    }

    /// <summary>Starts the trial's next attempt; from here on its lease is renewed by the heartbeat.</summary>
    private Task<TrialStart?> StartAttemptAsync(TrialAssignment assignment)
    {
        _running.Begin(assignment.TrialId);
        var trial = grains.GetGrain<ITrialGrain>(assignment.TrialId);
        var asked = _policy.Timestamp();
        var start = _calls.CallAsync(() => trial.StartAttempt(_identity.WorkerId, assignment));
        start.ContinueWith(
            _ => _policy.Started(_policy.Since(asked)),
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
        return start;
    }
}
