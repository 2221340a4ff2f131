using RnnLab.Sweeps.Trials;
using Microsoft.Extensions.Logging;
using Orleans.Concurrency;
using Orleans.Runtime;
using RnnLab.Grains.Scheduling;
using RnnLab.Storage;

namespace RnnLab.Grains;

/// <summary>
/// The Orleans side of the scheduler: its <see cref="LeaseBook"/> decides who gets which trial; the grain adds the
/// waiting of workers that ask while nothing is ready, the lease-check timer, dead silos from the membership, and
/// the hand-back of lost trials to their grains. Keeps no durable state of its own: on activation it re-adopts every
/// Pending and Running trial from the database, giving running ones one lease period for their worker to check in.
/// </summary>
[Reentrant]
internal sealed class SchedulerGrain(
    ITrialStore trials,
    ISweepStore sweeps,
    IClusterMembershipService membership,
    OrchestrationOptions options,
    IGrainFactory grains,
    TimeProvider time,
    ILogger<SchedulerGrain> logger) : Grain, ISchedulerGrain, ISchedulerCallbacks
{
    private readonly LeaseBook _book = new(options.LeaseDuration);
    private readonly LinkedList<Waiter> _waiters = [];
    private readonly Dictionary<Guid, (string Worker, string Reason)> _unreturned = [];
    private DateTime _nextReturnTry;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var live = (await sweeps.ListUnfinishedAsync(cancellationToken)).ToDictionary(s => s.Id, s => s.State);
        var grace = Now + options.LeaseDuration;
        foreach (var t in await trials.ListActiveAsync(cancellationToken))
        {
            if (t.State == TrialState.Running && t.Worker is { } worker)
            {
                _book.Adopt(t.SweepId, new QueuedTrial(t.Id, t.Number), worker, SiloOf(worker), grace);
            }
            else if (t.State == TrialState.Pending && live.GetValueOrDefault(t.SweepId) == SweepState.Running)
            {
                _book.Enqueue(t.SweepId, [new QueuedTrial(t.Id, t.Number, ParametersJson: t.Attempt == 0 ? t.ParametersJson : null)]);
            }
        }

        var period = TimeSpan.FromMilliseconds(Math.Max(100, options.LeaseDuration.TotalMilliseconds / 6));
        this.RegisterGrainTimer(CheckLeasesAsync, period, period);
        logger.LogInformation("Scheduler active: {Queued} queued, {Leased} leased trials re-adopted", _book.Queued, _book.Leased);
    }

    private DateTime Now => time.GetUtcNow().UtcDateTime;

    Task ISchedulerCallbacks.Enqueue(Guid sweepId, IReadOnlyList<QueuedTrial> queued)
    {
        _book.Enqueue(sweepId, queued);
        Dispatch();
        return Task.CompletedTask;
    }

    Task ISchedulerCallbacks.Withdraw(Guid sweepId, bool cancelRunning)
    {
        _book.Withdraw(sweepId, cancelRunning);
        return Task.CompletedTask;
    }

    Task ISchedulerCallbacks.Readmit(Guid sweepId)
    {
        _book.Readmit(sweepId);
        return Task.CompletedTask;
    }

    async Task<IReadOnlyList<TrialAssignment>> ISchedulerGrain.Lease(WorkerIdentity worker, int maxCount, TimeSpan maxWait)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxCount);
        var silo = worker.Silo.ToParsableString();
        var taken = _book.Grant(worker.WorkerId, silo, maxCount, Now);
        if (taken.Count > 0)
        {
            return taken;
        }

        var waiter = new Waiter(worker.WorkerId, silo, maxCount, new TaskCompletionSource<IReadOnlyList<TrialAssignment>>(TaskCreationOptions.RunContinuationsAsynchronously));
        var node = _waiters.AddLast(waiter);
        var finished = await Task.WhenAny(waiter.Result.Task, Task.Delay(maxWait));
        if (finished != waiter.Result.Task)
        {
            if (node.List is not null)
            {
                _waiters.Remove(node);
            }

            waiter.Result.TrySetResult([]);
        }

        // A worker that waited is still asking: it is not forgotten while it waits.
        _book.Seen(worker.WorkerId, Now);
        return await waiter.Result.Task;
    }

    Task<IReadOnlyList<Guid>> ISchedulerGrain.Heartbeat(WorkerIdentity worker, IReadOnlyList<Guid> running) =>
        Task.FromResult<IReadOnlyList<Guid>>(_book.Renew(worker.WorkerId, running, Now));

    Task ISchedulerGrain.Return(string workerId, IReadOnlyList<Guid> trialIds)
    {
        _book.Return(workerId, trialIds);
        Dispatch();
        return Task.CompletedTask;
    }

    Task ISchedulerCallbacks.ReleaseFinished(Guid trialId, string workerId) => ((ISchedulerGrain)this).Release(trialId, workerId);

    Task ISchedulerGrain.Release(Guid trialId, string workerId)
    {
        _book.Release(trialId, workerId);
        return Task.CompletedTask;
    }

    Task ISchedulerCallbacks.HandBackLater(Guid trialId, string workerId, string reason)
    {
        _unreturned[trialId] = (workerId, reason);
        _nextReturnTry = Now + options.LeaseDuration / 3;
        return Task.CompletedTask;
    }

    Task<SchedulerStats> ISchedulerGrain.GetStats() =>
        Task.FromResult(new SchedulerStats(_book.Queued, _book.Leased, _book.Workers, _book.Granted, _book.Lost));

    /// <summary>Hands ready trials to the workers waiting longest.</summary>
    private void Dispatch()
    {
        while (_waiters.First is { } node)
        {
            var waiter = node.Value;
            if (waiter.Result.Task.IsCompleted)
            {
                _waiters.RemoveFirst();
                continue;
            }

            var taken = _book.Grant(waiter.Worker, waiter.Silo, waiter.MaxCount, Now);
            if (taken.Count == 0)
            {
                return;
            }

            _waiters.RemoveFirst();
            if (!waiter.Result.TrySetResult(taken))
            {
                // The waiter timed out meanwhile.
                _book.Ungrant(taken);
            }
        }
    }

    private Task CheckLeasesAsync(CancellationToken cancellationToken)
    {
        var now = Now;
        var snapshot = membership.CurrentSnapshot;
        // A silo the snapshot does not know yet (or any more) is left to its lease expiry.
        var dead = snapshot.Members.Values.Where(m => m.Status == SiloStatus.Dead)
            .Select(m => m.SiloAddress.ToParsableString()).ToHashSet();
        foreach (var lost in _book.Expire(now, dead.Contains))
        {
            logger.LogWarning("Trial {TrialId} ({Number}) goes back to the queue: {Reason}", lost.TrialId, lost.Number, lost.Reason);
            Abandon(lost.TrialId, lost.Worker, lost.Reason);
        }

        // Trials whose hand-back failed (the database was down) are handed back again until it succeeds.
        if (_unreturned.Count > 0 && now >= _nextReturnTry)
        {
            foreach (var (trialId, (worker, reason)) in _unreturned.ToList())
            {
                _unreturned.Remove(trialId);
                Abandon(trialId, worker, reason);
            }
        }

        // Trials whose back-off ended may now go to waiting slots.
        Dispatch();
        return Task.CompletedTask;
    }

    /// <summary>
    /// Hands a trial whose lease ended back to its grain, which requeues it. Not awaited: the trial grain calls back
    /// into sweeps and us, and we must not wait on that chain. A hand-back that fails is kept and tried again on later
    /// lease checks, or a trial whose requeue met a database outage would stay Running, leased by nobody, for good.
    /// </summary>
    private void Abandon(Guid trialId, string worker, string reason)
    {
        _ = AbandonAsync();

        async Task AbandonAsync()
        {
            try
            {
                await grains.GetGrain<ITrialGrain>(trialId).Abandon(worker, reason);
            }
            catch (Exception exception)
            {
                logger.LogWarning("Handing trial {TrialId} back to the queue failed ({Error}); trying again", trialId, exception.Message);
                _unreturned[trialId] = (worker, reason);
                _nextReturnTry = Now + options.LeaseDuration / 3;
            }
        }
    }

    /// <summary>The silo a worker id names, in the form dead silos are compared in; null when it names none.</summary>
    private static string? SiloOf(string worker)
    {
        try
        {
            return SiloAddress.FromParsableString(worker).ToParsableString();
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private sealed record Waiter(string Worker, string Silo, int MaxCount, TaskCompletionSource<IReadOnlyList<TrialAssignment>> Result);
}
