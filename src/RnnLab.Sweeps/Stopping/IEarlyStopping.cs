namespace RnnLab.Sweeps.Stopping;

/// <summary>What an early-stopping rule tells a trial after an epoch.</summary>
public enum StoppingDecision
{
    Continue,
    Stop,
}

/// <summary>
/// Decides after each epoch whether a trial goes on. Reports arrive asynchronously (trials out of step with each
/// other); the decisions depend only on the sequence of reports, so replaying the persisted reports in their
/// original order restores the rule's state.
/// </summary>
public interface IEarlyStopping
{
    /// <summary>Records <paramref name="value"/> (the metric after 1-based <paramref name="epoch"/>) and decides; ended trials keep counting as evidence.</summary>
    StoppingDecision Report(long trialId, int epoch, double value);
}
