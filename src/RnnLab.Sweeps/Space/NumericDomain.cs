using RnnLab.Sweeps.Parameters;

namespace RnnLab.Sweeps.Space;

/// <summary>
/// A numeric range. Samplers and the analysis work in its internal scale (natural log where the range is
/// logarithmic), in which the domain is uniform.
/// </summary>
public abstract record NumericDomain(double Low, double High, bool Log) : ParameterDomain
{
    public virtual double InternalLow => Log ? Math.Log(Low) : Low;

    public virtual double InternalHigh => Log ? Math.Log(High) : High;

    public double ToInternal(ParameterValue value) => Log ? Math.Log(value.AsDouble()) : value.AsDouble();

    /// <summary>Clamps into the range and rounds where the domain holds integers.</summary>
    public abstract ParameterValue FromInternal(double internalValue);

    public override ParameterValue FromUnit(double unit) =>
        FromInternal(InternalLow + unit * (InternalHigh - InternalLow));

    public override IReadOnlyList<ParameterValue> GridPoints(int resolution)
    {
        if (resolution <= 1)
        {
            return [FromInternal((InternalLow + InternalHigh) / 2)];
        }

        var low = Log ? Math.Log(Low) : Low;
        var high = Log ? Math.Log(High) : High;
        return Enumerable.Range(0, resolution)
            .Select(i => FromInternal(low + (high - low) * i / (resolution - 1)))
            .Distinct()
            .ToArray();
    }
}

/// <summary>Reals between two bounds, uniform in value or (when Log) in its logarithm.</summary>
public sealed record RealDomain(double Low, double High, bool Log) : NumericDomain(Low, High, Log)
{
    public override ParameterValue FromInternal(double internalValue)
    {
        var value = Log ? Math.Exp(internalValue) : internalValue;
        return ParameterValue.Real(Math.Clamp(value, Low, High));
    }

    public override bool Contains(ParameterValue value) =>
        value.IsNumeric && value.AsDouble() >= Low && value.AsDouble() <= High;
}

/// <summary>
/// Integers between two bounds inclusive. The internal range is widened by half a step each side so that
/// rounding gives every integer an equal share (in linear or log scale).
/// </summary>
public sealed record IntegerDomain(long LowInclusive, long HighInclusive, bool Log)
    : NumericDomain(LowInclusive, HighInclusive, Log)
{
    public override double InternalLow => Log ? Math.Log(LowInclusive - 0.5) : LowInclusive - 0.5;

    public override double InternalHigh => Log ? Math.Log(HighInclusive + 0.5) : HighInclusive + 0.5;

    public override ParameterValue FromInternal(double internalValue)
    {
        var value = Log ? Math.Exp(internalValue) : internalValue;
        return ParameterValue.Integer(Math.Clamp((long)Math.Round(value, MidpointRounding.AwayFromZero), LowInclusive, HighInclusive));
    }

    public override bool Contains(ParameterValue value) =>
        value.Kind == ParameterKind.Integer && value.AsLong() >= LowInclusive && value.AsLong() <= HighInclusive;
}
