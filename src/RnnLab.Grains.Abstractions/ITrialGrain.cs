namespace RnnLab.Grains;

/// <summary>
/// One trial, keyed by its id: the state machine Pending → Running → final. Every call names the attempt it
/// belongs to, so a worker whose lease was taken away cannot change the trial; the final result is recorded once.
/// </summary>
[Alias("rnnlab.ITrialGrain")]
public interface ITrialGrain : IGrainWithGuidKey
{
    /// <summary>
    /// Starts the next attempt on a worker; null when the trial is already final. The assignment's parameters,
    /// when given, spare a never-started trial's grain the database read.
    /// </summary>
    [Alias("StartAttempt")]
    Task<TrialStart?> StartAttempt(string worker, TrialAssignment assignment);

    [Alias("ReportEpoch")]
    Task<TrialDirective> ReportEpoch(AttemptEpoch report);

    /// <summary>
    /// Ends the attempt with a result; true when this call recorded the trial's final result. The last epoch's
    /// report may come with it (<see cref="AttemptResult.LastEpoch"/>) instead of in its own call.
    /// </summary>
    [Alias("Finish")]
    Task<bool> Finish(AttemptResult result);

    /// <summary>The attempt threw; retried with back-off until the sweep's retries are spent, then Failed.</summary>
    [Alias("Fail")]
    Task Fail(int attempt, string error);

    /// <summary>The worker running the trial is gone (lease expired, silo dead, shutdown): back to the queue.</summary>
    [Alias("Abandon")]
    Task Abandon(string worker, string reason);
}
