using Orleans.Concurrency;

namespace RnnLab.Grains;

/// <summary>A queued trial; not handed out before <paramref name="NotBefore"/> (retry back-off).</summary>
[GenerateSerializer, Immutable]
public sealed record QueuedTrial(
    [property: Id(0)] Guid TrialId,
    [property: Id(1)] int Number,
    [property: Id(2)] DateTime? NotBefore = null);

/// <summary>
/// The cluster-wide scheduler (key 0): holds each sweep's runnable trials and leases them to worker slots that
/// ask, taking turns across sweeps. A lease not renewed in time, or held by a dead silo, sends its trial back.
/// </summary>
public interface ISchedulerGrain : IGrainWithIntegerKey
{
    Task Enqueue(Guid sweepId, IReadOnlyList<QueuedTrial> trials);

    /// <summary>Drops a sweep's queued trials (pause, cancel); with cancel its leased trials are told to stop.</summary>
    Task Withdraw(Guid sweepId, bool cancelRunning);

    /// <summary>Leases one trial to a free slot, waiting up to <paramref name="maxWait"/> for one; null when none came.</summary>
    [AlwaysInterleave]
    Task<TrialAssignment?> Lease(WorkerIdentity worker, TimeSpan maxWait);

    /// <summary>Renews the worker's leases; returns the trials among them it must cancel.</summary>
    Task<IReadOnlyList<Guid>> Heartbeat(WorkerIdentity worker, IReadOnlyList<Guid> running);

    /// <summary>Ends the worker's lease on a trial because the trial finished or was abandoned.</summary>
    Task Release(Guid trialId, string workerId);

    Task<SchedulerStats> GetStats();
}
