namespace RnnLab.Grains.Scheduling;

/// <summary>One trial leased to a worker until <see cref="Expires"/>, renewed by the worker's heartbeats.</summary>
internal sealed class Lease(QueuedTrial queued, Guid sweepId, string worker, string? silo, DateTime expires)
{
    public QueuedTrial Queued { get; } = queued;

    public Guid TrialId => Queued.TrialId;

    public Guid SweepId { get; } = sweepId;

    public int Number => Queued.Number;

    public string Worker { get; } = worker;

    /// <summary>The silo the worker runs on, when known; the lease ends early when that silo is dead.</summary>
    public string? Silo { get; } = silo;

    public DateTime Expires { get; set; } = expires;

    public bool CancelRequested { get; set; }
}

/// <summary>A lease that ended without its worker releasing it; <see cref="SiloDead"/> tells why.</summary>
internal sealed record LostLease(Guid TrialId, int Number, string Worker, bool SiloDead)
{
    public string Reason => SiloDead ? $"worker {Worker} is dead" : $"lease of {Worker} expired";
}
