using RnnLab.Sweeps.Parameters;
using RnnLab.Sweeps.Space;

namespace RnnLab.Sweeps.Sampling;

/// <summary>
/// Low-discrepancy search: searched parameter k takes coordinate k of scrambled Sobol' point n, mapped through its
/// domain (so log domains are covered evenly in log scale). Inactive parameters still own their coordinate.
/// </summary>
public sealed class SobolSampler : Sampler
{
    private readonly SobolSequence _sequence;
    private readonly Dictionary<string, int> _dimensionOf;

    public SobolSampler(SearchSpace space, long seed) : base(space)
    {
        var searched = space.Searched;
        if (searched.Count > SobolSequence.MaxDimensions)
        {
            throw new ArgumentException($"Sobol' search supports at most {SobolSequence.MaxDimensions} searched parameters");
        }

        _dimensionOf = searched.Select((parameter, i) => (parameter.Name, i)).ToDictionary(pair => pair.Name, pair => pair.i);
        _sequence = new SobolSequence(Math.Max(1, searched.Count), seed);
    }

    protected override ParameterSet? Propose(long index)
    {
        var point = _sequence.Point(index);
        return Space.Build((parameter, _) => parameter.IsFixed
            ? parameter.Domain.FromUnit(0)
            : parameter.Domain.FromUnit(point[_dimensionOf[parameter.Name]]));
    }
}
