using System.Globalization;

namespace RnnLab.Sweeps.Parameters;

/// <summary>The type of a trial parameter value.</summary>
public enum ParameterKind
{
    Real,
    Integer,
    Text,
    Boolean,
}

/// <summary>One trial parameter value: a finite double, a long, a string or a bool.</summary>
public readonly record struct ParameterValue
{
    private readonly double _real;
    private readonly long _integer;
    private readonly string? _text;
    private readonly bool _boolean;

    private ParameterValue(ParameterKind kind, double real, long integer, string? text, bool boolean)
    {
        Kind = kind;
        _real = real;
        _integer = integer;
        _text = text;
        _boolean = boolean;
    }

    public ParameterKind Kind { get; }

    public static ParameterValue Real(double value)
    {
        if (!double.IsFinite(value))
        {
            throw new ArgumentOutOfRangeException(nameof(value), value, "a parameter value must be finite");
        }

        // Normalise -0.0 so that equal values serialise and compare identically.
        return new ParameterValue(ParameterKind.Real, value == 0 ? 0.0 : value, 0, null, false);
    }

    public static ParameterValue Integer(long value) => new(ParameterKind.Integer, 0, value, null, false);

    public static ParameterValue Text(string value) =>
        new(ParameterKind.Text, 0, 0, value ?? throw new ArgumentNullException(nameof(value)), false);

    public static ParameterValue Boolean(bool value) => new(ParameterKind.Boolean, 0, 0, null, value);

    public static implicit operator ParameterValue(double value) => Real(value);

    public static implicit operator ParameterValue(long value) => Integer(value);

    public static implicit operator ParameterValue(int value) => Integer(value);

    public static implicit operator ParameterValue(string value) => Text(value);

    public static implicit operator ParameterValue(bool value) => Boolean(value);

    public bool IsNumeric => Kind is ParameterKind.Real or ParameterKind.Integer;

    /// <summary>The numeric value; integers widen to double.</summary>
    public double AsDouble() => Kind switch
    {
        ParameterKind.Real => _real,
        ParameterKind.Integer => _integer,
        _ => throw new InvalidOperationException($"{this} is a {Kind}, not a number"),
    };

    public long AsLong() => Kind == ParameterKind.Integer
        ? _integer
        : throw new InvalidOperationException($"{this} is a {Kind}, not an integer");

    public string AsString() => Kind == ParameterKind.Text
        ? _text!
        : throw new InvalidOperationException($"{this} is a {Kind}, not text");

    public bool AsBool() => Kind == ParameterKind.Boolean
        ? _boolean
        : throw new InvalidOperationException($"{this} is a {Kind}, not a boolean");

    public override string ToString() => Kind switch
    {
        ParameterKind.Real => _real.ToString("R", CultureInfo.InvariantCulture),
        ParameterKind.Integer => _integer.ToString(CultureInfo.InvariantCulture),
        ParameterKind.Text => _text!,
        _ => _boolean ? "true" : "false",
    };
}
