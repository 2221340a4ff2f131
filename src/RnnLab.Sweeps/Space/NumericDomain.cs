using RnnLab.Sweeps.Parameters;

namespace RnnLab.Sweeps.Space;

/// <summary>
/// A numeric range. Samplers and the analysis work in its internal scale (natural log where the range is
/// logarithmic), in which the domain is uniform.
/// </summary>
public abstract record NumericDomain(double Low, double High, bool Log) : ParameterDomain
{
    public virtual double InternalLow => ScaleLow;

    public virtual double InternalHigh => ScaleHigh;

    /// <summary>The smaller end of the range in the domain's scale (for a one-minus-log domain, log(1 − High)).</summary>
    public double ScaleLow => Math.Min(ToScale(Low), ToScale(High));

    /// <summary>The larger end of the range in the domain's scale.</summary>
    public double ScaleHigh => Math.Max(ToScale(Low), ToScale(High));

    /// <summary>A value in the scale in which the domain is uniform: itself, its log, or log(1 − value).</summary>
    public virtual double ToScale(double value) => Log ? Math.Log(value) : value;

    /// <summary>The inverse of <see cref="ToScale"/>.</summary>
    public virtual double FromScale(double scaled) => Log ? Math.Exp(scaled) : scaled;

    public double ToInternal(ParameterValue value) => ToScale(value.AsDouble());

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

        var low = ScaleLow;
        var high = ScaleHigh;
        return Enumerable.Range(0, resolution)
            .Select(i => FromInternal(low + (high - low) * i / (resolution - 1)))
            .Distinct()
            .ToArray();
    }
}

/// <summary>Reals between two bounds, uniform in value or (when Log) in its logarithm.</summary>
public sealed record RealDomain(double Low, double High, bool Log) : NumericDomain(Low, High, Log)
{
    public override ParameterValue FromInternal(double internalValue) =>
        ParameterValue.Real(Math.Clamp(FromScale(internalValue), Low, High));

    public override bool Contains(ParameterValue value) =>
        value.IsNumeric && value.AsDouble() >= Low && value.AsDouble() <= High;
}

/// <summary>
/// Reals of the form 1 − x with x log-uniform in [XLow, XHigh] (0 &lt; XLow &lt; XHigh): the Odyssey's momentum,
/// 1 − a log-uniform sample from [0.01, 1], which crowds values near 1. Low and High are the bounds of the value
/// itself (1 − XHigh and 1 − XLow); the domain is uniform in log(1 − value), its scale.
/// </summary>
public sealed record OneMinusLogDomain(double XLow, double XHigh) : NumericDomain(1 - XHigh, 1 - XLow, Log: true)
{
    public override double ToScale(double value) => Math.Log(1 - value);

    public override double FromScale(double scaled) => 1 - Math.Exp(scaled);

    public override ParameterValue FromInternal(double internalValue) =>
        ParameterValue.Real(Math.Clamp(FromScale(internalValue), Low, High));

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
        var value = FromScale(internalValue);
        return ParameterValue.Integer(Math.Clamp((long)Math.Round(value, MidpointRounding.AwayFromZero), LowInclusive, HighInclusive));
    }

    public override bool Contains(ParameterValue value) =>
        value.Kind == ParameterKind.Integer && value.AsLong() >= LowInclusive && value.AsLong() <= HighInclusive;
}
