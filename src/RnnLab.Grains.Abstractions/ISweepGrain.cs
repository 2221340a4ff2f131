using Orleans.Concurrency;
using RnnLab.Sweeps.Trials;

namespace RnnLab.Grains;

/// <summary>
/// One sweep, keyed by its id: owns its sampler and early-stopping rule, keeps up to its parallelism of trials
/// queued or running, and numbers its progress events. Its state lives in the database, so it reactivates anywhere.
/// </summary>
public interface ISweepGrain : IGrainWithGuidKey
{
    /// <summary>Makes sure the sweep is active and its queue filled (after submission or a restart).</summary>
    Task<SweepStatus> Start();

    Task<SweepStatus> GetStatus();

    /// <summary>Stops handing out new trials; running ones finish.</summary>
    Task Pause();

    Task Resume();

    /// <summary>Cancels queued trials and tells running ones to stop.</summary>
    Task Cancel();

    /// <summary>Raises the budget by <paramref name="additionalTrials"/>, reopening a finished sweep; the sampler carries on
    /// from every trial it has seen.</summary>
    Task<SweepStatus> Extend(int additionalTrials);

    /// <summary>Queues the trials in <paramref name="states"/> again (reopening a finished sweep); returns how many.</summary>
    Task<int> Retry(IReadOnlyList<TrialState> states);

    /// <summary>Ends one pending or running trial as cancelled (or pruned) and leaves the rest running; false when it
    /// already finished. A running trial stops at its next epoch.</summary>
    Task<bool> StopTrial(int number, bool prune);

    /// <summary>Whether the sweep asked this trial to end cancelled: the sweep was cancelled or ran out of time, or
    /// the trial was stopped on request. A cancelled attempt it did not ask for goes back to the queue.</summary>
    Task<bool> AsksCancelled(int number);

    /// <summary>Events with a number above <paramref name="afterSequence"/>; waits up to <paramref name="maxWait"/> for the first one.</summary>
    [AlwaysInterleave]
    Task<IReadOnlyList<SweepEvent>> WaitForEvents(long afterSequence, int maxCount, TimeSpan maxWait);

    /// <summary>Called by a trial grain when an attempt starts; one-way, so starting never waits on a busy sweep.</summary>
    [OneWay]
    Task OnTrialStarted(int number, int attempt, int? resumedFromEpoch, string worker);

    /// <summary>Called by a trial grain after each epoch; returns the early-stopping decision.</summary>
    Task<TrialDirective> OnEpoch(int number, int epoch, double? value);

    /// <summary>
    /// Called by a trial grain when an attempt was lost or failed and may run again (not before
    /// <paramref name="notBefore"/>); the sweep queues it, keeps it while paused, or cancels it.
    /// </summary>
    Task OnTrialRequeued(int number, string reason, DateTime? notBefore);

    /// <summary>
    /// Called exactly once per trial, by its grain, when the trial reached a final state; with the report of the
    /// last epoch (its number and metric value) when that came with the result.
    /// </summary>
    Task OnTrialFinished(int number, TrialState state, double? value, int? lastEpoch = null, double? lastEpochValue = null);
}
