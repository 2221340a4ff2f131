using Orleans.Concurrency;

namespace RnnLab.Grains;

/// <summary>
/// A queued trial; not handed out before <paramref name="NotBefore"/> (retry back-off). A trial never started
/// carries its <paramref name="ParametersJson"/>, so its first start needs no database read.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record QueuedTrial(
    [property: Id(0)] Guid TrialId,
    [property: Id(1)] int Number,
    [property: Id(2)] DateTime? NotBefore = null,
    [property: Id(3)] string? ParametersJson = null);

/// <summary>
/// The cluster-wide scheduler (key 0): holds each sweep's runnable trials and leases them to worker slots that
/// ask, taking turns across sweeps. A lease not renewed in time, or held by a dead silo, sends its trial back.
/// </summary>
public interface ISchedulerGrain : IGrainWithIntegerKey
{
    Task Enqueue(Guid sweepId, IReadOnlyList<QueuedTrial> trials);

    /// <summary>Drops a sweep's queued trials (pause, cancel); with cancel its leased trials are told to stop.</summary>
    Task Withdraw(Guid sweepId, bool cancelRunning);

    /// <summary>Takes a reopened sweep's trials again after <see cref="Withdraw"/> cancelled it.</summary>
    Task Readmit(Guid sweepId);

    /// <summary>
    /// Leases up to <paramref name="maxCount"/> trials to a worker's free slots, waiting up to
    /// <paramref name="maxWait"/> for the first; empty when none came.
    /// </summary>
    [AlwaysInterleave]
    Task<IReadOnlyList<TrialAssignment>> Lease(WorkerIdentity worker, int maxCount, TimeSpan maxWait);

    /// <summary>Renews the worker's leases; returns the trials among them it must cancel.</summary>
    Task<IReadOnlyList<Guid>> Heartbeat(WorkerIdentity worker, IReadOnlyList<Guid> running);

    /// <summary>Puts trials the worker leased but never started back at the front of their queues.</summary>
    Task Return(string workerId, IReadOnlyList<Guid> trialIds);

    /// <summary>Ends the worker's lease on a trial that reached its final state; one-way, as nothing follows it.</summary>
    [OneWay]
    Task ReleaseFinished(Guid trialId, string workerId);

    /// <summary>Ends the worker's lease on a trial because the trial finished or was abandoned.</summary>
    Task Release(Guid trialId, string workerId);

    /// <summary>
    /// Asks the scheduler to hand a trial whose lease was released back to its grain again later: its requeue failed
    /// (the database was down), and without a lease nothing else would.
    /// </summary>
    Task HandBackLater(Guid trialId, string workerId, string reason);

    Task<SchedulerStats> GetStats();
}
