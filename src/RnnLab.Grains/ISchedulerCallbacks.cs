using Orleans.Concurrency;

namespace RnnLab.Grains;

/// <summary>
/// What sweep and trial grains tell the scheduler (key 0, the same activation as <see cref="ISchedulerGrain"/>):
/// queue changes and lease ends of finished or unreturned trials. Called grain to grain only, so not public.
/// </summary>
[Alias("rnnlab.ISchedulerCallbacks")]
internal interface ISchedulerCallbacks : IGrainWithIntegerKey
{
    /// <summary>Queues runnable trials of a sweep behind its others.</summary>
    [Alias("Enqueue")]
    Task Enqueue(Guid sweepId, IReadOnlyList<QueuedTrial> trials);

    /// <summary>Drops a sweep's queued trials (pause, cancel); with cancel its leased trials are told to stop.</summary>
    [Alias("Withdraw")]
    Task Withdraw(Guid sweepId, bool cancelRunning);

    /// <summary>Takes a reopened sweep's trials again after <see cref="Withdraw"/> cancelled it.</summary>
    [Alias("Readmit")]
    Task Readmit(Guid sweepId);

    /// <summary>Ends the worker's lease on a trial that reached its final state; one-way, as nothing follows it.</summary>
    [OneWay]
    [Alias("ReleaseFinished")]
    Task ReleaseFinished(Guid trialId, string workerId);

    /// <summary>
    /// Asks the scheduler to hand a trial whose lease was released back to its grain again later: its requeue failed
    /// (the database was down), and without a lease nothing else would.
    /// </summary>
    [Alias("HandBackLater")]
    Task HandBackLater(Guid trialId, string workerId, string reason);
}
