using System.Collections.Concurrent;
using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Orleans.Runtime;
using RnnLab.Grains.Execution;
using RnnLab.Storage;
using TrialState = RnnLab.Sweeps.Trials.TrialState;

namespace RnnLab.Grains.Workers;

/// <summary>
/// A worker silo's slots: each slot is a dedicated thread (never the Orleans scheduler) that takes a leased trial,
/// starts it, runs it through its executor, reports every epoch, checkpoints, and hands the result to be recorded
/// in the background while it takes the next trial. A heartbeat renews the leases of running trials and learns
/// which to cancel. While trials are short, a few trials per slot are leased ahead and those of sweeps whose trials
/// here were short are started ahead too, so a slot never waits for the platform between short trials; with long
/// trials a slot leases only when it is free, and a trial not known to be short is started by the slot that runs it.
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

    // Trials shorter than this on average are short: their hand-off would cost a noticeable share of slot time.
    private static readonly TimeSpan ShortTrial = TimeSpan.FromSeconds(1);

    // Results waiting to be recorded; a slot waits for room beyond this, so a slow database pushes back.
    private const int MaxFinishing = 256;

    private readonly ConcurrentDictionary<Guid, CancellationTokenSource> _running = new();
    private readonly Channel<Prepared> _leased = Channel.CreateUnbounded<Prepared>();

    // Leased trials waiting in _leased unstarted, whose leases the heartbeat renews.
    private readonly ConcurrentDictionary<Guid, bool> _waitingUnstarted = new();
    private readonly ConcurrentDictionary<Guid, bool> _revoked = new();
    private readonly SemaphoreSlim _wantMore = new(0);
    private readonly SemaphoreSlim _finishing = new(MaxFinishing, MaxFinishing);
    private readonly ConcurrentDictionary<Task, bool> _pendingFinishes = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly List<Thread> _slots = [];
    private WorkerIdentity _identity = null!;
    private Task? _heartbeat;
    private Task? _feeder;
    private int _idleSlots;

    // At most this many trials per slot are started ahead, however short they are.
    private const int MaxAheadPerSlot = 16;

    // Sweeps whose trial times are remembered; more are forgotten, oldest knowledge first.
    private const int MaxSweepsRemembered = 256;

    // Exponential averages of recent trial times and of the time to start one, in stopwatch ticks; -1 until known.
    private long _averageTicks = -1;
    private long _averageStartTicks = -1;

    // The same per sweep: only trials of sweeps whose recent trials here were short are started ahead, so a long
    // trial never waits marked running behind another.
    private readonly ConcurrentDictionary<Guid, long> _sweepAverages = new();

    private ISchedulerGrain Scheduler => grains.GetGrain<ISchedulerGrain>(0);

    private bool TrialsAreShort
    {
        get
        {
            var average = Interlocked.Read(ref _averageTicks);
            return average >= 0 && Stopwatch.GetElapsedTime(0, average) < ShortTrial;
        }
    }

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

        _feeder = Task.Run(FeedLoopAsync, CancellationToken.None);
        _heartbeat = Task.Run(HeartbeatLoopAsync, CancellationToken.None);
        logger.LogInformation("Worker {Worker} started with {Slots} slots", _identity.WorkerId, _slots.Count);
        return Task.CompletedTask;
    }

    private async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        foreach (var cts in _running.Values)
        {
            try
            {
                await cts.CancelAsync();
            }
            catch (ObjectDisposedException)
            {
                // That trial just ended.
            }
        }

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
        await Task.WhenAll(_pendingFinishes.Keys).WaitAsync(TimeSpan.FromSeconds(10), CancellationToken.None)
            .ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        var unstarted = new List<Guid>();
        while (_leased.Reader.TryRead(out var prepared))
        {
            if (prepared.Start is null)
            {
                unstarted.Add(prepared.Assignment.TrialId);
            }
            else
            {
                await Task.Run(() => AbandonStarted(prepared, $"worker {_identity.WorkerId} shut down"));
            }
        }

        if (unstarted.Count > 0)
        {
            await TryReportAsync(() => Scheduler.Return(_identity.WorkerId, unstarted));
        }
    }

    /// <summary>Keeps leased trials ready: one per idle slot, or, while trials are short, enough per slot started ahead to cover a start.</summary>
    private async Task FeedLoopAsync()
    {
        var slots = _slots.Count;
        while (!_stopping.IsCancellationRequested)
        {
            var ahead = TrialsAreShort;
            var target = ahead ? AheadPerSlot() * slots : Volatile.Read(ref _idleSlots);
            var want = target - _leased.Reader.Count;
            if (want <= 0)
            {
                try
                {
                    await _wantMore.WaitAsync(TimeSpan.FromMilliseconds(500), _stopping.Token);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                continue;
            }

            try
            {
                foreach (var assignment in await Scheduler.Lease(_identity, want, LeaseWait).WaitAsync(_stopping.Token))
                {
                    var startNow = ahead && SweepIsShort(assignment.SweepId);
                    if (!startNow)
                    {
                        _waitingUnstarted[assignment.TrialId] = true;
                    }

                    _leased.Writer.TryWrite(new Prepared(assignment, startNow ? StartAsync(assignment) : null));
                }
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (Exception ex)
            {
                logger.LogWarning(ex, "Leasing trials failed; retrying");
                await Task.Delay(TimeSpan.FromMilliseconds(250)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }

    private void RunSlot()
    {
        long? lastEnd = null;
        while (!_stopping.IsCancellationRequested)
        {
            var current = TakeNext();
            if (current is null)
            {
                lastEnd = null;
                continue;
            }

            current = current with { Start = current.Start ?? StartAsync(current.Assignment) };
            // Waiting for the start is the platform's time, not the trial's.
            WaitWithoutSpinning(current.Start);

            var begin = Stopwatch.GetTimestamp();
            Run(current);
            var end = Stopwatch.GetTimestamp();
            usage.Record(lastEnd is { } previous ? begin - previous : 0, end - begin);
            Average(ref _averageTicks, end - begin);
            RecordSweepTrialTime(current.Assignment.SweepId, end - begin);
            lastEnd = end;
        }
    }

    /// <summary>Trials per slot to start ahead: enough to cover the time one takes to start, plus one.</summary>
    private int AheadPerSlot()
    {
        var trial = Math.Max(1, Interlocked.Read(ref _averageTicks));
        var start = Math.Max(0, Interlocked.Read(ref _averageStartTicks));
        return (int)Math.Clamp(start / trial + 2, 2, MaxAheadPerSlot);
    }

    private bool SweepIsShort(Guid sweepId) =>
        _sweepAverages.TryGetValue(sweepId, out var ticks) && Stopwatch.GetElapsedTime(0, ticks) < ShortTrial;

    private void RecordSweepTrialTime(Guid sweepId, long ticks)
    {
        if (_sweepAverages.Count >= MaxSweepsRemembered && !_sweepAverages.ContainsKey(sweepId))
        {
            _sweepAverages.Clear();
        }

        _sweepAverages.AddOrUpdate(sweepId, ticks, (_, old) => (old * 7 + ticks) / 8);
    }

    private static void Average(ref long average, long sample)
    {
        var old = Interlocked.Read(ref average);
        Interlocked.Exchange(ref average, old < 0 ? sample : (old * 7 + sample) / 8);
    }

    private Prepared? TakeNext()
    {
        Interlocked.Increment(ref _idleSlots);
        _wantMore.Release();
        try
        {
            while (!_stopping.IsCancellationRequested)
            {
                if (!_leased.Reader.TryRead(out var prepared))
                {
                    WaitWithoutSpinning(_leased.Reader.WaitToReadAsync(_stopping.Token).AsTask());
                    continue;
                }

                _waitingUnstarted.TryRemove(prepared.Assignment.TrialId, out _);
                // A lease the scheduler took back while the trial waited here unstarted is no longer ours.
                if (prepared.Start is not null || !_revoked.TryRemove(prepared.Assignment.TrialId, out _))
                {
                    return prepared;
                }
            }

            return null;
        }
        catch (OperationCanceledException)
        {
            return null;
        }
        finally
        {
            Interlocked.Decrement(ref _idleSlots);
            _wantMore.Release();
        }
    }

    /// <summary>The task's result on a slot's thread, waited for without spinning.</summary>
    private static T Block<T>(Task<T> task)
    {
        WaitWithoutSpinning(task);
        return task.GetAwaiter().GetResult();
    }

    /// <summary>
    /// Blocks the slot's thread until the task ends (the caller sees its outcome), without the spinning of
    /// Task.Wait: a spinning slot takes the core the database and the silo need to hand it its next trial.
    /// </summary>
    private static void WaitWithoutSpinning(Task task)
    {
        if (task.IsCompleted)
        {
            return;
        }

        var gate = new object();
        task.ContinueWith(
            static (_, state) =>
            {
                lock (state!)
                {
                    Monitor.PulseAll(state);
                }
            },
            gate,
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
        lock (gate)
        {
            while (!task.IsCompleted)
            {
                Monitor.Wait(gate);
            }
        }
    }

    /// <summary>Starts the trial's next attempt; from here on its lease is renewed by the heartbeat.</summary>
    private Task<TrialStart?> StartAsync(TrialAssignment assignment)
    {
        _running[assignment.TrialId] = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
        var trial = grains.GetGrain<ITrialGrain>(assignment.TrialId);
        var asked = Stopwatch.GetTimestamp();
        var start = CallAsync(() => trial.StartAttempt(_identity.WorkerId, assignment));
        start.ContinueWith(
            _ => Average(ref _averageStartTicks, Stopwatch.GetTimestamp() - asked),
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
        return start;
    }

    private void AbandonStarted(Prepared prepared, string reason)
    {
        try
        {
            var start = Block(prepared.Start!);
            var trial = grains.GetGrain<ITrialGrain>(prepared.Assignment.TrialId);
            TryReport(() => start is null
                ? Scheduler.Release(prepared.Assignment.TrialId, _identity.WorkerId)
                : trial.Abandon(_identity.WorkerId, reason));
        }
        catch (Exception ex)
        {
            // The lease expires and the scheduler sends the trial back.
            logger.LogWarning(ex, "Giving back trial {TrialId} failed", prepared.Assignment.TrialId);
        }
        finally
        {
            Forget(prepared.Assignment.TrialId);
        }
    }

    private void Run(Prepared prepared)
    {
        var assignment = prepared.Assignment;
        var trial = grains.GetGrain<ITrialGrain>(assignment.TrialId);
        // Normally the one its start made; a result of an earlier attempt of this trial still being recorded in the
        // background must not take it away (see Forget).
        var cts = _running.GetOrAdd(assignment.TrialId, _ => CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token));
        TrialStart? start = null;
        var platformFailed = false;
        var recording = false;
        try
        {
            try
            {
                start = Block(prepared.Start!);
            }
            catch
            {
                platformFailed = true;
                throw;
            }

            if (start is null)
            {
                Call(() => Scheduler.Release(assignment.TrialId, _identity.WorkerId));
                return;
            }

            // Reading the checkpoint is the platform's work: a database restart here is not the trial's failure.
            var checkpoint = start.ResumeFromEpoch is null
                ? null
                : Platform(ref platformFailed, () => Block(checkpoints.GetLatestAsync(start.TrialId)))?.Bytes;
            var attempt = start.Attempt;
            var trialId = start.TrialId;
            AttemptEpoch? lastEpoch = null;
            var execution = new TrialExecution(
                start,
                checkpoint,
                (epoch, metrics, last) =>
                {
                    if (last)
                    {
                        // Nothing follows it: it goes with the result, one call instead of two.
                        lastEpoch = new AttemptEpoch(attempt, epoch, new Dictionary<string, double>(metrics));
                        return EpochDecision.Continue;
                    }

                    return Platform(ref platformFailed, () => OnEpoch(trial, attempt, epoch, metrics, cts));
                },
                (epoch, bytes) => Platform(ref platformFailed, () =>
                {
                    // Refused when this attempt lost its lease meanwhile: it must stop, its snapshot is not wanted.
                    if (!Block(checkpoints.SaveAsync(trialId, attempt, epoch, bytes)))
                    {
                        cts.Cancel();
                    }

                    return true;
                }));
            var outcome = executors.Get(start.TaskName).Execute(execution, cts.Token);
            if (_stopping.IsCancellationRequested && outcome.State == TrialState.Cancelled)
            {
                // The silo is shutting down, not the sweep: someone else runs it from its checkpoint.
                TryReport(() => trial.Abandon(_identity.WorkerId, $"worker {_identity.WorkerId} shut down"));
                return;
            }

            var result = new AttemptResult(attempt, outcome.State, outcome.Epochs, outcome.FinalMetrics, LastEpoch: lastEpoch);
            RecordInBackground(trial, result, cts);
            recording = true;
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
            if (!recording)
            {
                Forget(assignment.TrialId, cts);
            }
        }
    }

    /// <summary>Records the result while the slot moves on; the lease stays renewed until it is recorded.</summary>
    private void RecordInBackground(ITrialGrain trial, AttemptResult result, CancellationTokenSource cts)
    {
        _finishing.Wait();
        var trialId = trial.GetPrimaryKey();
        var task = Task.Run(async () =>
        {
            try
            {
                await CallAsync(() => trial.Finish(result));
            }
            catch (Exception ex)
            {
                logger.LogWarning(ex, "Recording the result of trial {TrialId} failed", trialId);
                await TryReportAsync(() => trial.Abandon(_identity.WorkerId, $"worker {_identity.WorkerId}: {ex.Message}"));
            }
            finally
            {
                Forget(trialId, cts);
                _finishing.Release();
            }
        });
        _pendingFinishes[task] = true;
        task.ContinueWith(t => _pendingFinishes.TryRemove(t, out _), TaskScheduler.Default);
    }

    private void Forget(Guid trialId)
    {
        if (_running.TryGetValue(trialId, out var cts))
        {
            Forget(trialId, cts);
        }
    }

    /// <summary>
    /// Stops renewing the lease of one run of a trial. Only that run's entry goes: when the database was slow, the
    /// same trial can be leased to this worker again while an earlier attempt's result is still being recorded.
    /// </summary>
    private void Forget(Guid trialId, CancellationTokenSource cts)
    {
        if (_running.TryRemove(KeyValuePair.Create(trialId, cts)))
        {
            cts.Dispose();
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
        var report = new AttemptEpoch(attempt, epoch, new Dictionary<string, double>(metrics));
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

    private T Call<T>(Func<Task<T>> call) => Block(CallAsync(call));

    /// <summary>
    /// Calls a grain, retrying while the cluster heals (a grain's silo died and it is being re-activated
    /// elsewhere); gives up when this silo stops.
    /// </summary>
    private async Task<T> CallAsync<T>(Func<Task<T>> call)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return await call();
            }
            catch (Exception ex) when (ex is OrleansException or TimeoutException && attempt < 30 && !_stopping.IsCancellationRequested)
            {
                logger.LogDebug(ex, "Grain call failed; retrying");
                await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(1000, 100 * (attempt + 1))), _stopping.Token)
                    .ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }

    private static void Block(Task task)
    {
        WaitWithoutSpinning(task);
        task.GetAwaiter().GetResult();
    }

    private void TryReport(Func<Task> report) => Block(TryReportAsync(report));

    private async Task TryReportAsync(Func<Task> report)
    {
        try
        {
            await report();
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
                // Leases taken ahead are renewed too, so a trial waiting behind a long one is not taken back.
                var waiting = _waitingUnstarted.Keys.ToHashSet();
                var running = _running.Keys.Concat(waiting).Distinct().ToList();
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
                        else if (waiting.Contains(id))
                        {
                            _revoked[id] = true;
                        }
                    }
                }
                catch (Exception ex) when (ex is not OperationCanceledException and not ObjectDisposedException)
                {
                    logger.LogWarning(ex, "Heartbeat failed");
                }
                catch (ObjectDisposedException)
                {
                    // The trial ended between the snapshot and the answer.
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>A leased trial, with its attempt's start once that was asked for.</summary>
    private sealed record Prepared(TrialAssignment Assignment, Task<TrialStart?>? Start);
}
