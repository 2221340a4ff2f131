using RnnLab.Sweeps.Parameters;
using RnnLab.Sweeps.Space;

namespace RnnLab.Sweeps.Sampling;

/// <summary>Visits every grid point once, in a fixed order; conditional parameters are varied only where active.</summary>
public sealed class GridSampler : Sampler
{
    private readonly IReadOnlyList<ParameterSet> _points;

    public GridSampler(SearchSpace space, int resolution) : base(space)
    {
        _points = Enumerate(space, resolution).ToArray();
    }

    public int Size => _points.Count;

    protected override ParameterSet? Propose(long index) => index < _points.Count ? _points[(int)index] : null;

    public static IEnumerable<ParameterSet> Enumerate(SearchSpace space, int resolution) =>
        Expand(space, resolution, 0, ParameterSet.Empty);

    private static IEnumerable<ParameterSet> Expand(SearchSpace space, int resolution, int position, ParameterSet assigned)
    {
        if (position == space.Parameters.Count)
        {
            yield return assigned;
            yield break;
        }

        var parameter = space.Parameters[position];
        if (!space.IsActive(parameter, assigned))
        {
            foreach (var point in Expand(space, resolution, position + 1, assigned))
            {
                yield return point;
            }

            yield break;
        }

        foreach (var value in parameter.Domain.GridPoints(resolution))
        {
            foreach (var point in Expand(space, resolution, position + 1, assigned.With(parameter.Name, value)))
            {
                yield return point;
            }
        }
    }
}
