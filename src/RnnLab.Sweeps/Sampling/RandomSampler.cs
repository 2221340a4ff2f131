using RnnLab.Sweeps.Parameters;
using RnnLab.Sweeps.Space;

namespace RnnLab.Sweeps.Sampling;

/// <summary>Independent uniform draws in each domain's own scale (log-uniform where the domain is log).</summary>
public sealed class RandomSampler(SearchSpace space, long seed) : Sampler(space)
{
    protected override ParameterSet? Propose(long index)
    {
        var random = new SeededRandom(seed, index);
        return Space.Build((parameter, _) => parameter.Domain.FromUnit(random.NextDouble()));
    }
}
