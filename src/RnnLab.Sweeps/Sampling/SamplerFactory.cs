using RnnLab.Sweeps.Spec;
using RnnLab.Sweeps.Trials;

namespace RnnLab.Sweeps.Sampling;

/// <summary>Creates the sampler a spec names, fresh or restored after a restart.</summary>
public static class SamplerFactory
{
    public static ISampler Create(SweepSpec spec) => CreateSampler(spec);

    /// <summary>
    /// Re-creates a sampler that had proposed <paramref name="proposed"/> configurations and been told
    /// <paramref name="finished"/>: its next proposal equals what the original would have proposed next.
    /// </summary>
    public static ISampler Restore(SweepSpec spec, long proposed, IEnumerable<TrialSnapshot> finished)
    {
        var sampler = CreateSampler(spec);
        foreach (var trial in finished)
        {
            sampler.Tell(trial);
        }

        sampler.Resume(proposed);
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
