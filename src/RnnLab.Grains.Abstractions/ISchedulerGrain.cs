using Orleans.Concurrency;

namespace RnnLab.Grains;

/// <summary>
/// A queued trial; not handed out before <paramref name="NotBefore"/> (retry back-off). A trial never started
/// carries its <paramref name="ParametersJson"/>, so its first start needs no database read.
/// </summary>
[GenerateSerializer, Immutable, Alias("rnnlab.QueuedTrial")]
public sealed record QueuedTrial(
    [property: Id(0)] Guid TrialId,
    [property: Id(1)] int Number,
    [property: Id(2)] DateTime? NotBefore = null,
    [property: Id(3)] string? ParametersJson = null);

/// <summary>
/// The cluster-wide scheduler (key 0): holds each sweep's runnable trials and leases them to worker slots that
/// ask, taking turns across sweeps. A lease not renewed in time, or held by a dead silo, sends its trial back.
/// </summary>
[Alias("rnnlab.ISchedulerGrain")]
public interface ISchedulerGrain : IGrainWithIntegerKey
{
    /// <summary>
    /// Leases up to <paramref name="maxCount"/> trials to a worker's free slots, waiting up to
    /// <paramref name="maxWait"/> for the first; empty when none came.
    /// </summary>
    [AlwaysInterleave]
    [Alias("Lease")]
    Task<IReadOnlyList<TrialAssignment>> Lease(WorkerIdentity worker, int maxCount, TimeSpan maxWait);

    /// <summary>Renews the worker's leases; returns the trials among them it must cancel.</summary>
    [Alias("Heartbeat")]
    Task<IReadOnlyList<Guid>> Heartbeat(WorkerIdentity worker, IReadOnlyList<Guid> running);

    /// <summary>Puts trials the worker leased but never started back at the front of their queues.</summary>
    [Alias("Return")]
    Task Return(string workerId, IReadOnlyList<Guid> trialIds);

    /// <summary>Ends the worker's lease on a trial because the trial finished or was abandoned.</summary>
    [Alias("Release")]
    Task Release(Guid trialId, string workerId);

    [Alias("GetStats")]
    Task<SchedulerStats> GetStats();
}
