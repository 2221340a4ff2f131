using Orleans.Concurrency;
using RnnLab.Sweeps.Trials;

namespace RnnLab.Grains;

/// <summary>
/// One sweep, keyed by its id: owns its sampler and early-stopping rule, keeps up to its parallelism of trials
/// queued or running, and numbers its progress events. Its state lives in the database, so it reactivates anywhere.
/// </summary>
[Alias("rnnlab.ISweepGrain")]
public interface ISweepGrain : IGrainWithGuidKey
{
    /// <summary>Makes sure the sweep is active and its queue filled (after submission or a restart).</summary>
    [Alias("Start")]
    Task<SweepStatus> Start();

    [Alias("GetStatus")]
    Task<SweepStatus> GetStatus();

    /// <summary>Stops handing out new trials; running ones finish.</summary>
    [Alias("Pause")]
    Task Pause();

    [Alias("Resume")]
    Task Resume();

    /// <summary>Cancels queued trials and tells running ones to stop.</summary>
    [Alias("Cancel")]
    Task Cancel();

    /// <summary>Raises the budget by <paramref name="additionalTrials"/>, reopening a finished sweep; the sampler carries on
    /// from every trial it has seen.</summary>
    [Alias("Extend")]
    Task<SweepStatus> Extend(int additionalTrials);

    /// <summary>Queues the trials in <paramref name="states"/> again (reopening a finished sweep); returns how many.</summary>
    [Alias("Retry")]
    Task<int> Retry(IReadOnlyList<TrialState> states);

    /// <summary>Ends one pending or running trial as cancelled (or pruned) and leaves the rest running; false when it
    /// already finished. A running trial stops at its next epoch.</summary>
    [Alias("StopTrial")]
    Task<bool> StopTrial(int number, bool prune);

    /// <summary>Events with a number above <paramref name="afterSequence"/>; waits up to <paramref name="maxWait"/> for the first one.</summary>
    [AlwaysInterleave]
    [Alias("WaitForEvents")]
    Task<IReadOnlyList<SweepEvent>> WaitForEvents(long afterSequence, int maxCount, TimeSpan maxWait);
}
