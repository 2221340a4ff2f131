namespace RnnLab.Sweeps.Parameters;

/// <summary>What a known trial parameter accepts: its kind, numeric bounds and allowed words.</summary>
public sealed record ParameterDefinition(
    string Name,
    ParameterKind Kind,
    double Min = double.NegativeInfinity,
    double Max = double.PositiveInfinity,
    bool MinExclusive = false,
    IReadOnlyList<string>? AllowedValues = null,
    Func<string, string?>? CheckText = null)
{
    /// <summary>Null when <paramref name="value"/> fits; otherwise why not.</summary>
    public string? Check(ParameterValue value)
    {
        switch (Kind)
        {
            case ParameterKind.Boolean when value.Kind != ParameterKind.Boolean:
                return $"{Name} must be true or false, not '{value}'";
            case ParameterKind.Text when value.Kind != ParameterKind.Text:
                return $"{Name} must be a word, not '{value}'";
            case ParameterKind.Text when AllowedValues is not null && !AllowedValues.Contains(value.AsString()):
                var nearest = NearestName.Suggest(value.AsString(), AllowedValues);
                return $"'{value}' is not a valid {Name} (expected one of {string.Join(", ", AllowedValues)})" +
                       (nearest is null ? "" : $"; did you mean '{nearest}'?");
            case ParameterKind.Integer when value.Kind != ParameterKind.Integer:
                return $"{Name} must be an integer, not '{value}'";
            case ParameterKind.Real when !value.IsNumeric:
                return $"{Name} must be a number, not '{value}'";
            case ParameterKind.Text when CheckText is not null:
                return CheckText(value.AsString());
        }

        return value.IsNumeric ? CheckRange(value.AsDouble()) : null;
    }

    public string? CheckRange(double number)
    {
        if (MinExclusive ? number <= Min : number < Min)
        {
            return $"{Name} must be {(MinExclusive ? ">" : ">=")} {Min}, not {number}";
        }

        return number > Max ? $"{Name} must be <= {Max}, not {number}" : null;
    }
}
