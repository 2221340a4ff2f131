using RnnLab.Sweeps.Parameters;
using RnnLab.Sweeps.Trials;

namespace RnnLab.Sweeps.Sampling;

/// <summary>
/// Proposes configurations (ask) and learns from finished trials (tell). The n-th proposal is a pure function of
/// the spec, n, the set of trials told so far and the set of earlier proposals — not of the order either came in —
/// so a sampler is restored by <see cref="SamplerFactory.Restore"/> from the sweep's stored trials.
/// </summary>
public interface ISampler
{
    /// <summary>How many configurations have been proposed so far (the index of the next one).</summary>
    long Proposed { get; }

    /// <summary>The next configuration (fixed parameters included, inactive conditional ones left out), or null when the space is exhausted.</summary>
    ParameterSet? Ask();

    /// <summary>Reports a finished trial. Telling the same trial id again replaces the earlier report.</summary>
    void Tell(TrialSnapshot trial);
}
