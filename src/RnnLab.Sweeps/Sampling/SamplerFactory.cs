using RnnLab.Sweeps.Parameters;
using RnnLab.Sweeps.Spec;
using RnnLab.Sweeps.Trials;

namespace RnnLab.Sweeps.Sampling;

/// <summary>Creates the sampler a spec names, fresh or restored after a restart.</summary>
public static class SamplerFactory
{
    public static ISampler Create(SweepSpec spec) => CreateSampler(spec);

    /// <summary>
    /// Re-creates a sampler from a sweep's stored trials: <paramref name="past"/> holds every trial proposed so far,
    /// finished or not, in any order. The sampler is told the finished ones and remembers what all of them proposed,
    /// so its next proposal equals what the original would have proposed next.
    /// </summary>
    public static ISampler Restore(SweepSpec spec, IEnumerable<TrialSnapshot> past)
    {
        var sampler = CreateSampler(spec);
        var proposals = new List<ParameterSet>();
        foreach (var trial in past)
        {
            if (trial.IsFinished)
            {
                sampler.Tell(trial);
            }

            proposals.Add(trial.Parameters);
        }

        sampler.Resume(proposals);
        return sampler;
    }

    private static Sampler CreateSampler(SweepSpec spec)
    {
        var settings = spec.Sampler;
        return settings.Type switch
        {
            SamplerType.Grid => new GridSampler(spec.Space, settings.GridResolution),
            SamplerType.Random => new RandomSampler(spec.Space, settings.Seed),
            SamplerType.Stratified => new StratifiedSampler(spec.Space, settings.Seed,
                settings.StratifyBy ?? throw new ArgumentException("a stratified sampler needs StratifyBy")),
            SamplerType.Sobol => new SobolSampler(spec.Space, settings.Seed),
            SamplerType.Tpe => new TpeSampler(spec.Space, spec.Metric, settings.Seed, settings.StartupTrials, settings.Candidates),
            SamplerType.Evolution => new EvolutionSampler(spec.Space, spec.Metric,
                settings.Evolution ?? new EvolutionSpec(EvolutionSpec.DefaultSeeds), settings.Seed),
            _ => throw new ArgumentOutOfRangeException(nameof(spec), settings.Type, "unknown sampler"),
        };
    }
}
