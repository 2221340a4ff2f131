using RnnLab.Sweeps.Parameters;

namespace RnnLab.Sweeps.Trials;

/// <summary>
/// An immutable picture of one trial, as samplers are told and the analysis reads it. Value is the spec's metric
/// (best epoch, in the metric's own direction); Curve holds one metric value per epoch when known.
/// </summary>
public sealed record TrialSnapshot(
    long Id,
    ParameterSet Parameters,
    TrialState State,
    double? Value,
    IReadOnlyList<double>? Curve = null)
{
    /// <summary>Whether the trial ended with a usable metric (Completed or Pruned with a finite value).</summary>
    public bool HasFiniteValue => Value is { } value && double.IsFinite(value) &&
                                  State is TrialState.Completed or TrialState.Pruned;

    public bool IsFinished => State is TrialState.Completed or TrialState.Pruned or TrialState.Diverged or
        TrialState.Failed or TrialState.Cancelled;
}
