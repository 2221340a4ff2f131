using RnnLab.Sweeps.Trials;
using Microsoft.Extensions.Logging;
using Orleans.Concurrency;
using Orleans.Runtime;
using RnnLab.Storage;

namespace RnnLab.Grains;

/// <summary>
/// Hands runnable trials to worker slots, taking the sweep with the fewest leased trials first so concurrent
/// sweeps share slots fairly. Keeps no durable state of its own: on activation it re-adopts every Pending and
/// Running trial from the database, giving running ones one lease period for their worker to check in.
/// </summary>
[Reentrant]
internal sealed class SchedulerGrain(
    ITrialStore trials,
    ISweepStore sweeps,
    IClusterMembershipService membership,
    OrchestrationOptions options,
    IGrainFactory grains,
    TimeProvider time,
    ILogger<SchedulerGrain> logger) : Grain, ISchedulerGrain
{
    private readonly Dictionary<Guid, LinkedList<QueuedTrial>> _queues = [];
    private readonly Dictionary<Guid, Guid> _queuedSweepOf = [];
    private readonly Dictionary<Guid, Lease> _leases = [];
    private readonly Dictionary<Guid, int> _leasedPerSweep = [];
    private readonly LinkedList<Waiter> _waiters = [];
    private readonly HashSet<Guid> _cancelledSweeps = [];
    private readonly Dictionary<string, DateTime> _workersSeen = [];
    private readonly Dictionary<Guid, (string Worker, string Reason)> _unreturned = [];
    private DateTime _nextReturnTry;
    private long _granted;
    private long _lost;
    private int _turn;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var live = (await sweeps.ListUnfinishedAsync(cancellationToken)).ToDictionary(s => s.Id, s => s.State);
        var grace = Now + options.LeaseDuration;
        foreach (var t in await trials.ListActiveAsync(cancellationToken))
        {
            if (t.State == TrialState.Running && t.Worker is { } worker)
            {
                AddLease(new Lease(new QueuedTrial(t.Id, t.Number), t.SweepId, worker, ParseSilo(worker), grace));
            }
            else if (t.State == TrialState.Pending && live.GetValueOrDefault(t.SweepId) == SweepState.Running)
            {
                Add(t.SweepId, new QueuedTrial(t.Id, t.Number, ParametersJson: t.Attempt == 0 ? t.ParametersJson : null));
            }
        }

        var period = TimeSpan.FromMilliseconds(Math.Max(100, options.LeaseDuration.TotalMilliseconds / 6));
        this.RegisterGrainTimer(CheckLeasesAsync, period, period);
        logger.LogInformation("Scheduler active: {Queued} queued, {Leased} leased trials re-adopted", _queuedSweepOf.Count, _leases.Count);
    }

    private DateTime Now => time.GetUtcNow().UtcDateTime;

    Task ISchedulerGrain.Enqueue(Guid sweepId, IReadOnlyList<QueuedTrial> queued)
    {
        if (_cancelledSweeps.Contains(sweepId))
        {
            return Task.CompletedTask;
        }

        foreach (var trial in queued)
        {
            if (!_leases.ContainsKey(trial.TrialId))
            {
                Add(sweepId, trial);
            }
        }

        Dispatch();
        return Task.CompletedTask;
    }

    Task ISchedulerGrain.Withdraw(Guid sweepId, bool cancelRunning)
    {
        if (_queues.Remove(sweepId, out var queue))
        {
            foreach (var trial in queue)
            {
                _queuedSweepOf.Remove(trial.TrialId);
            }
        }

        if (cancelRunning)
        {
            _cancelledSweeps.Add(sweepId);
            foreach (var lease in _leases.Values.Where(l => l.SweepId == sweepId))
            {
                lease.CancelRequested = true;
            }
        }

        return Task.CompletedTask;
    }

    Task ISchedulerGrain.Readmit(Guid sweepId)
    {
        _cancelledSweeps.Remove(sweepId);
        return Task.CompletedTask;
    }

    async Task<IReadOnlyList<TrialAssignment>> ISchedulerGrain.Lease(WorkerIdentity worker, int maxCount, TimeSpan maxWait)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxCount);
        _workersSeen[worker.WorkerId] = Now;
        var taken = TakeMany(worker, maxCount);
        if (taken.Count > 0)
        {
            return taken;
        }

        var waiter = new Waiter(worker, maxCount, new TaskCompletionSource<IReadOnlyList<TrialAssignment>>(TaskCreationOptions.RunContinuationsAsynchronously));
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

        return await waiter.Result.Task;
    }

    Task<IReadOnlyList<Guid>> ISchedulerGrain.Heartbeat(WorkerIdentity worker, IReadOnlyList<Guid> running)
    {
        _workersSeen[worker.WorkerId] = Now;
        var cancel = new List<Guid>();
        var expires = Now + options.LeaseDuration;
        foreach (var id in running)
        {
            if (_leases.TryGetValue(id, out var lease) && lease.Worker == worker.WorkerId)
            {
                lease.Expires = expires;
                if (lease.CancelRequested)
                {
                    cancel.Add(id);
                }
            }
            else
            {
                // The lease was taken away (expired, or another worker holds the trial now).
                cancel.Add(id);
            }
        }

        return Task.FromResult<IReadOnlyList<Guid>>(cancel);
    }

    Task ISchedulerGrain.Return(string workerId, IReadOnlyList<Guid> trialIds)
    {
        foreach (var trialId in trialIds.Reverse())
        {
            if (_leases.TryGetValue(trialId, out var lease) && lease.Worker == workerId)
            {
                RemoveLease(lease);
                if (!_cancelledSweeps.Contains(lease.SweepId))
                {
                    Add(lease.SweepId, lease.Queued, atFront: true);
                }
            }
        }

        Dispatch();
        return Task.CompletedTask;
    }

    Task ISchedulerGrain.ReleaseFinished(Guid trialId, string workerId) => ((ISchedulerGrain)this).Release(trialId, workerId);

    Task ISchedulerGrain.Release(Guid trialId, string workerId)
    {
        if (_leases.TryGetValue(trialId, out var lease) && lease.Worker == workerId)
        {
            RemoveLease(lease);
        }

        return Task.CompletedTask;
    }

    Task ISchedulerGrain.HandBackLater(Guid trialId, string workerId, string reason)
    {
        _unreturned[trialId] = (workerId, reason);
        _nextReturnTry = Now + options.LeaseDuration / 3;
        return Task.CompletedTask;
    }

    Task<SchedulerStats> ISchedulerGrain.GetStats() =>
        Task.FromResult(new SchedulerStats(_queuedSweepOf.Count, _leases.Count, _workersSeen.Count, _granted, _lost));

    private void Add(Guid sweepId, QueuedTrial trial, bool atFront = false)
    {
        if (_queuedSweepOf.ContainsKey(trial.TrialId))
        {
            return;
        }

        if (!_queues.TryGetValue(sweepId, out var queue))
        {
            queue = new LinkedList<QueuedTrial>();
            _queues[sweepId] = queue;
        }

        if (atFront)
        {
            queue.AddFirst(trial);
        }
        else
        {
            queue.AddLast(trial);
        }

        _queuedSweepOf[trial.TrialId] = sweepId;
    }

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

            var taken = TakeMany(waiter.Worker, waiter.MaxCount);
            if (taken.Count == 0)
            {
                return;
            }

            _waiters.RemoveFirst();
            if (!waiter.Result.TrySetResult(taken))
            {
                // The waiter timed out meanwhile: put the trials back at the front, in order.
                foreach (var assignment in Enumerable.Reverse(taken))
                {
                    var lease = _leases[assignment.TrialId];
                    RemoveLease(lease);
                    _granted--;
                    Add(assignment.SweepId, lease.Queued, atFront: true);
                }
            }
        }
    }

    private List<TrialAssignment> TakeMany(WorkerIdentity worker, int maxCount)
    {
        var taken = new List<TrialAssignment>();
        while (taken.Count < maxCount && TryTake(worker) is { } assignment)
        {
            taken.Add(assignment);
        }

        return taken;
    }

    private TrialAssignment? TryTake(WorkerIdentity worker)
    {
        var now = Now;
        Guid? bestSweep = null;
        LinkedListNode<QueuedTrial>? bestNode = null;
        var bestLeased = int.MaxValue;
        var sweepsInTurn = _queues.Keys.OrderBy(k => k).ToList();
        for (var i = 0; i < sweepsInTurn.Count; i++)
        {
            var sweepId = sweepsInTurn[(i + _turn) % sweepsInTurn.Count];
            var ready = FirstReady(_queues[sweepId], now);
            if (ready is null)
            {
                continue;
            }

            var leased = _leasedPerSweep.GetValueOrDefault(sweepId);
            if (leased < bestLeased)
            {
                bestLeased = leased;
                bestSweep = sweepId;
                bestNode = ready;
            }
        }

        if (bestSweep is not { } chosen || bestNode is null)
        {
            return null;
        }

        _turn++;
        var queue = _queues[chosen];
        queue.Remove(bestNode);
        if (queue.Count == 0)
        {
            _queues.Remove(chosen);
        }

        var trial = bestNode.Value;
        _queuedSweepOf.Remove(trial.TrialId);
        AddLease(new Lease(trial, chosen, worker.WorkerId, worker.Silo, now + options.LeaseDuration));
        _granted++;
        return new TrialAssignment(trial.TrialId, chosen, trial.Number, options.LeaseDuration, trial.ParametersJson);
    }

    private void AddLease(Lease lease)
    {
        _leases[lease.TrialId] = lease;
        _leasedPerSweep[lease.SweepId] = _leasedPerSweep.GetValueOrDefault(lease.SweepId) + 1;
    }

    private void RemoveLease(Lease lease)
    {
        if (!_leases.Remove(lease.TrialId))
        {
            return;
        }

        var left = _leasedPerSweep.GetValueOrDefault(lease.SweepId) - 1;
        if (left > 0)
        {
            _leasedPerSweep[lease.SweepId] = left;
        }
        else
        {
            _leasedPerSweep.Remove(lease.SweepId);
        }
    }

    private static LinkedListNode<QueuedTrial>? FirstReady(LinkedList<QueuedTrial> queue, DateTime now)
    {
        for (var node = queue.First; node is not null; node = node.Next)
        {
            if (node.Value.NotBefore is not { } notBefore || notBefore <= now)
            {
                return node;
            }
        }

        return null;
    }

    private Task CheckLeasesAsync(CancellationToken cancellationToken)
    {
        var now = Now;
        var snapshot = membership.CurrentSnapshot;
        foreach (var lease in _leases.Values.ToList())
        {
            // A silo the snapshot does not know yet (or any more) is left to its lease expiry.
            var siloDead = lease.Silo is not null && snapshot.GetSiloStatus(lease.Silo) == SiloStatus.Dead;
            if (lease.Expires > now && !siloDead)
            {
                continue;
            }

            RemoveLease(lease);
            _lost++;
            var reason = siloDead ? $"worker {lease.Worker} is dead" : $"lease of {lease.Worker} expired";
            logger.LogWarning("Trial {TrialId} ({Number}) goes back to the queue: {Reason}", lease.TrialId, lease.Number, reason);
            Abandon(lease.TrialId, lease.Worker, reason);
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

    private static SiloAddress? ParseSilo(string worker)
    {
        try
        {
            return SiloAddress.FromParsableString(worker);
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private sealed record Waiter(WorkerIdentity Worker, int MaxCount, TaskCompletionSource<IReadOnlyList<TrialAssignment>> Result);

    private sealed class Lease(QueuedTrial queued, Guid sweepId, string worker, SiloAddress? silo, DateTime expires)
    {
        public QueuedTrial Queued { get; } = queued;
        public Guid TrialId => Queued.TrialId;
        public Guid SweepId { get; } = sweepId;
        public int Number => Queued.Number;
        public string Worker { get; } = worker;
        public SiloAddress? Silo { get; } = silo;
        public DateTime Expires { get; set; } = expires;
        public bool CancelRequested { get; set; }
    }
}
