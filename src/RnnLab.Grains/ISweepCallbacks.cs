using Orleans.Concurrency;

namespace RnnLab.Grains;

/// <summary>
/// What a sweep's trial grains tell it (keyed by the sweep id, the same activation as <see cref="ISweepGrain"/>):
/// starts, epochs, requeues and final results. Called grain to grain only, so not public.
/// </summary>
[Alias("rnnlab.ISweepCallbacks")]
internal interface ISweepCallbacks : IGrainWithGuidKey
{
    /// <summary>Whether the sweep asked this trial to end cancelled: the sweep was cancelled or ran out of time, or
    /// the trial was stopped on request. A cancelled attempt it did not ask for goes back to the queue.</summary>
    [Alias("AsksCancelled")]
    Task<bool> AsksCancelled(int number);

    /// <summary>Called by a trial grain when an attempt starts; one-way, so starting never waits on a busy sweep.</summary>
    [OneWay]
    [Alias("OnTrialStarted")]
    Task OnTrialStarted(int number, int attempt, int? resumedFromEpoch, string worker);

    /// <summary>Called by a trial grain after each epoch; returns the early-stopping decision.</summary>
    [Alias("OnEpoch")]
    Task<TrialDirective> OnEpoch(int number, int epoch, double? value);

    /// <summary>
    /// Called by a trial grain when an attempt was lost or failed and may run again (not before
    /// <paramref name="notBefore"/>); the sweep queues it, keeps it while paused, or cancels it.
    /// </summary>
    [Alias("OnTrialRequeued")]
    Task OnTrialRequeued(int number, string reason, DateTime? notBefore);

    /// <summary>
    /// Called exactly once per trial, by its grain, when the trial reached a final state; with the report of the
    /// last epoch (its number and metric value) when that came with the result.
    /// </summary>
    [Alias("OnTrialFinished")]
    Task OnTrialFinished(int number, TrialState state, double? value, int? lastEpoch = null, double? lastEpochValue = null);
}
