using RnnLab.Sweeps.Parameters;

namespace RnnLab.Sweeps.Space;

/// <summary>The set of values one search parameter ranges over.</summary>
public abstract record ParameterDomain
{
    /// <summary>Maps a unit-interval draw u ∈ [0, 1) to a value, uniformly in the domain's own scale.</summary>
    public abstract ParameterValue FromUnit(double unit);

    /// <summary>The points a grid search visits; numeric domains give <paramref name="resolution"/> points.</summary>
    public abstract IReadOnlyList<ParameterValue> GridPoints(int resolution);

    public abstract bool Contains(ParameterValue value);
}

/// <summary>A one-value domain: a parameter held constant.</summary>
public sealed record FixedDomain(ParameterValue Value) : ParameterDomain
{
    public override ParameterValue FromUnit(double unit) => Value;

    public override IReadOnlyList<ParameterValue> GridPoints(int resolution) => [Value];

    public override bool Contains(ParameterValue value) => value.Equals(Value);
}

/// <summary>A finite, unordered set of choices.</summary>
public sealed record CategoricalDomain(IReadOnlyList<ParameterValue> Choices) : ParameterDomain
{
    public override ParameterValue FromUnit(double unit) =>
        Choices[Math.Min(Choices.Count - 1, (int)(unit * Choices.Count))];

    public override IReadOnlyList<ParameterValue> GridPoints(int resolution) => Choices;

    public override bool Contains(ParameterValue value) => Choices.Contains(value);

    public int IndexOf(ParameterValue value)
    {
        for (var i = 0; i < Choices.Count; i++)
        {
            if (Choices[i].Equals(value))
            {
                return i;
            }
        }

        return -1;
    }
}
