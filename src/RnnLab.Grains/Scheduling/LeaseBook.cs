namespace RnnLab.Grains.Scheduling;

/// <summary>
/// The scheduler's bookkeeping, free of Orleans: each sweep's queue of runnable trials, the leases of running ones,
/// and the workers that asked recently. A grant takes the sweep with the fewest leased trials first (the one served
/// longest ago among equals), so concurrent sweeps share slots fairly; it costs O(log sweeps), not a sort per grant.
/// A worker is forgotten once it holds no lease and has not asked for <see cref="WorkerMemory"/>.
/// </summary>
internal sealed class LeaseBook(TimeSpan leaseDuration)
{
    private readonly Dictionary<Guid, SweepLine> _lines = [];
    // Lines with queued trials, fair-share order first.
    private readonly SortedSet<SweepLine> _waiting = [];
    private readonly Dictionary<Guid, Guid> _queuedSweepOf = [];
    private readonly Dictionary<Guid, Lease> _leases = [];
    private readonly HashSet<Guid> _cancelledSweeps = [];
    private readonly Dictionary<string, WorkerEntry> _workers = [];

    public TimeSpan LeaseDuration { get; } = leaseDuration;

    /// <summary>How long a worker without leases is remembered after it last asked: two lease periods.</summary>
    public TimeSpan WorkerMemory => LeaseDuration * 2;

    public int Queued => _queuedSweepOf.Count;

    public int Leased => _leases.Count;

    public int Workers => _workers.Count;

    /// <summary>Sweeps the book keeps a line for: those with queued or leased trials.</summary>
    public int Sweeps => _lines.Count;

    public long Granted { get; private set; }

    public long Lost { get; private set; }

    public bool IsCancelled(Guid sweepId) => _cancelledSweeps.Contains(sweepId);

    public Lease? LeaseOf(Guid trialId) => _leases.GetValueOrDefault(trialId);

    /// <summary>Queues trials of a sweep behind its others; a trial already queued or leased, or of a cancelled sweep, is skipped.</summary>
    public void Enqueue(Guid sweepId, IEnumerable<QueuedTrial> trials)
    {
        if (_cancelledSweeps.Contains(sweepId))
        {
            return;
        }

        foreach (var trial in trials)
        {
            if (!_leases.ContainsKey(trial.TrialId))
            {
                Add(sweepId, trial, atFront: false);
            }
        }
    }

    /// <summary>Takes a lease found running in the database back (a restarted scheduler), expiring at <paramref name="expires"/>.</summary>
    public void Adopt(Guid sweepId, QueuedTrial trial, string worker, string? silo, DateTime expires) =>
        AddLease(new Lease(trial, sweepId, worker, silo, expires));

    /// <summary>Drops a sweep's queued trials; with <paramref name="cancelRunning"/> its leases are marked to cancel and it takes no more.</summary>
    public void Withdraw(Guid sweepId, bool cancelRunning)
    {
        if (_lines.TryGetValue(sweepId, out var line) && line.Queue.Count > 0)
        {
            _waiting.Remove(line);
            foreach (var trial in line.Queue)
            {
                _queuedSweepOf.Remove(trial.TrialId);
            }

            line.Queue.Clear();
            ForgetIfIdle(line);
        }

        if (cancelRunning)
        {
            _cancelledSweeps.Add(sweepId);
            foreach (var lease in _leases.Values.Where(l => l.SweepId == sweepId))
            {
                lease.CancelRequested = true;
            }
        }
    }

    public void Readmit(Guid sweepId) => _cancelledSweeps.Remove(sweepId);

    /// <summary>Notes that a worker asked for work (or heartbeats) at <paramref name="now"/>.</summary>
    public void Seen(string worker, DateTime now) => Worker(worker).LastSeen = now;

    /// <summary>Leases up to <paramref name="maxCount"/> ready trials to a worker, fairest sweep first.</summary>
    public List<TrialAssignment> Grant(string worker, string? silo, int maxCount, DateTime now)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxCount);
        Seen(worker, now);
        var taken = new List<TrialAssignment>();
        while (taken.Count < maxCount && TryTake(worker, silo, now) is { } assignment)
        {
            taken.Add(assignment);
        }

        return taken;
    }

    /// <summary>Takes back a grant its worker never received (its wait timed out): the trials go back to the front, in order.</summary>
    public void Ungrant(IReadOnlyList<TrialAssignment> assignments)
    {
        foreach (var assignment in assignments.Reverse())
        {
            if (_leases.TryGetValue(assignment.TrialId, out var lease))
            {
                RemoveLease(lease);
                Granted--;
                Add(lease.SweepId, lease.Queued, atFront: true);
            }
        }
    }

    /// <summary>Renews the worker's leases; returns those among <paramref name="running"/> it must cancel (taken away, or cancel requested).</summary>
    public List<Guid> Renew(string worker, IReadOnlyList<Guid> running, DateTime now)
    {
        Seen(worker, now);
        var cancel = new List<Guid>();
        var expires = now + LeaseDuration;
        foreach (var id in running)
        {
            if (_leases.TryGetValue(id, out var lease) && lease.Worker == worker)
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

        return cancel;
    }

    /// <summary>Puts trials the worker leased but never started back at the front of their queues, in order.</summary>
    public void Return(string worker, IReadOnlyList<Guid> trialIds)
    {
        foreach (var trialId in trialIds.Reverse())
        {
            if (_leases.TryGetValue(trialId, out var lease) && lease.Worker == worker)
            {
                RemoveLease(lease);
                if (!_cancelledSweeps.Contains(lease.SweepId))
                {
                    Add(lease.SweepId, lease.Queued, atFront: true);
                }
            }
        }
    }

    /// <summary>Ends the worker's lease on a trial; false when the worker does not hold it.</summary>
    public bool Release(Guid trialId, string worker)
    {
        if (_leases.TryGetValue(trialId, out var lease) && lease.Worker == worker)
        {
            RemoveLease(lease);
            return true;
        }

        return false;
    }

    /// <summary>
    /// Ends the leases that expired by <paramref name="now"/> or whose silo <paramref name="siloDead"/> says is dead, and
    /// forgets workers that hold no lease and stopped asking. The caller sends the lost trials back to their grains.
    /// </summary>
    public List<LostLease> Expire(DateTime now, Func<string, bool> siloDead)
    {
        var lost = new List<LostLease>();
        foreach (var lease in _leases.Values.ToList())
        {
            var dead = lease.Silo is { } silo && siloDead(silo);
            if (lease.Expires > now && !dead)
            {
                continue;
            }

            RemoveLease(lease);
            Lost++;
            lost.Add(new LostLease(lease.TrialId, lease.Number, lease.Worker, dead));
        }

        var forgetBefore = now - WorkerMemory;
        foreach (var (id, worker) in _workers.Where(w => w.Value.Leases == 0 && w.Value.LastSeen < forgetBefore).ToList())
        {
            _workers.Remove(id);
        }

        return lost;
    }

    private TrialAssignment? TryTake(string worker, string? silo, DateTime now)
    {
        SweepLine? line = null;
        LinkedListNode<QueuedTrial>? node = null;
        // Usually the first line; a line whose trials all wait out a back-off is passed over.
        foreach (var candidate in _waiting)
        {
            if (candidate.FirstReady(now) is { } ready)
            {
                line = candidate;
                node = ready;
                break;
            }
        }

        if (line is null || node is null)
        {
            return null;
        }

        _waiting.Remove(line);
        line.Queue.Remove(node);
        Granted++;
        line.LastServed = Granted;
        var trial = node.Value;
        _queuedSweepOf.Remove(trial.TrialId);
        AddLease(new Lease(trial, line.SweepId, worker, silo, now + LeaseDuration));
        return new TrialAssignment(trial.TrialId, line.SweepId, trial.Number, LeaseDuration, trial.ParametersJson);
    }

    private void Add(Guid sweepId, QueuedTrial trial, bool atFront)
    {
        if (!_queuedSweepOf.TryAdd(trial.TrialId, sweepId))
        {
            return;
        }

        var line = Line(sweepId);
        _waiting.Remove(line);
        if (atFront)
        {
            line.Queue.AddFirst(trial);
        }
        else
        {
            line.Queue.AddLast(trial);
        }

        _waiting.Add(line);
    }

    private void AddLease(Lease lease)
    {
        _leases[lease.TrialId] = lease;
        Worker(lease.Worker).Leases++;
        var line = Line(lease.SweepId);
        // A line's place depends on its lease count: take it out while the count changes.
        var waiting = _waiting.Remove(line);
        line.Leased++;
        if (waiting || line.Queue.Count > 0)
        {
            _waiting.Add(line);
        }
    }

    private void RemoveLease(Lease lease)
    {
        if (!_leases.Remove(lease.TrialId))
        {
            return;
        }

        if (_workers.TryGetValue(lease.Worker, out var worker))
        {
            worker.Leases--;
        }

        if (_lines.TryGetValue(lease.SweepId, out var line))
        {
            var waiting = _waiting.Remove(line);
            line.Leased--;
            if (waiting)
            {
                _waiting.Add(line);
            }

            ForgetIfIdle(line);
        }
    }

    private SweepLine Line(Guid sweepId)
    {
        if (!_lines.TryGetValue(sweepId, out var line))
        {
            line = new SweepLine(sweepId);
            _lines[sweepId] = line;
        }

        return line;
    }

    private void ForgetIfIdle(SweepLine line)
    {
        if (line.IsIdle)
        {
            _lines.Remove(line.SweepId);
        }
    }

    private WorkerEntry Worker(string id)
    {
        if (!_workers.TryGetValue(id, out var worker))
        {
            worker = new WorkerEntry();
            _workers[id] = worker;
        }

        return worker;
    }

    private sealed class WorkerEntry
    {
        public DateTime LastSeen { get; set; }

        public int Leases { get; set; }
    }
}
