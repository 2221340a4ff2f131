using RnnLab.Sweeps.Parameters;
using RnnLab.Sweeps.Space;

namespace RnnLab.Sweeps.Sampling;

/// <summary>
/// Random search with an equal number of trials per value of one categorical (the Odyssey design: 200 trials per
/// cell). Proposals cycle through the strata, so any prefix is balanced to within one trial.
/// </summary>
public sealed class StratifiedSampler : Sampler
{
    private readonly long _seed;
    private readonly string _by;
    private readonly IReadOnlyList<ParameterValue> _strata;

    public StratifiedSampler(SearchSpace space, long seed, string by) : base(space)
    {
        if (!space.Contains(by) || space[by].Domain is not CategoricalDomain categorical || space[by].Condition is not null)
        {
            throw new ArgumentException($"'{by}' must be an unconditional categorical parameter of the space", nameof(by));
        }

        _seed = seed;
        _by = by;
        _strata = categorical.Choices;
    }

    protected override ParameterSet? Propose(long index)
    {
        var random = new SeededRandom(_seed, index);
        var stratum = _strata[(int)(index % _strata.Count)];
        return Space.Build((parameter, _) =>
        {
            // Draw even for the stratum so the other parameters' streams do not depend on which stratum it is.
            var draw = parameter.Domain.FromUnit(random.NextDouble());
            return parameter.Name == _by ? stratum : draw;
        });
    }
}
