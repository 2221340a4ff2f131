using RnnLab.Sweeps.Parameters;

namespace RnnLab.Sweeps.Spec;

/// <summary>Typed reads from a <see cref="SpecNode"/> tree that record an error (path: reason) instead of throwing.</summary>
internal sealed class SpecReader
{
    public List<SpecError> Errors { get; } = [];

    public void Error(string path, string reason) => Errors.Add(new(path, reason));

    public SpecMap? Map(SpecNode? node, string path)
    {
        if (node is SpecMap map)
        {
            return map;
        }

        Error(path, node is null ? "is required" : $"must be a mapping, not {node.Describe()}");
        return null;
    }

    /// <summary>Reports keys outside <paramref name="allowed"/>, naming the nearest valid one.</summary>
    public void AllowOnly(SpecMap map, string path, IReadOnlyCollection<string> allowed)
    {
        foreach (var (key, _) in map.Entries)
        {
            if (!allowed.Contains(key))
            {
                var nearest = NearestName.Suggest(key, allowed);
                Error(SpecPath.Key(path, key), nearest is null
                    ? $"unknown key (expected one of {string.Join(", ", allowed)})"
                    : $"unknown key; did you mean '{nearest}'?");
            }
        }
    }

    public ParameterValue? Scalar(SpecNode? node, string path)
    {
        switch (node)
        {
            case SpecScalar { Value: { } value }:
                return value;
            case null or SpecScalar:
                Error(path, "is required");
                return null;
            default:
                Error(path, $"must be a single value, not {node.Describe()}");
                return null;
        }
    }

    public string? Text(SpecNode? node, string path)
    {
        var value = Scalar(node, path);
        if (value is null)
        {
            return null;
        }

        if (value.Value.Kind != ParameterKind.Text || value.Value.AsString().Trim().Length == 0)
        {
            Error(path, $"must be a non-empty word, not '{value}'");
            return null;
        }

        return value.Value.AsString();
    }

    public T? Word<T>(SpecNode? node, string path, IReadOnlyDictionary<string, T> words) where T : struct
    {
        var text = Text(node, path);
        if (text is null)
        {
            return null;
        }

        if (words.TryGetValue(text, out var word))
        {
            return word;
        }

        var nearest = NearestName.Suggest(text, words.Keys);
        Error(path, $"'{text}' is not one of {string.Join(", ", words.Keys)}" + (nearest is null ? "" : $"; did you mean '{nearest}'?"));
        return null;
    }

    public long? Integer(SpecNode? node, string path, long min, long max)
    {
        var value = Scalar(node, path);
        if (value is null)
        {
            return null;
        }

        if (value.Value.Kind != ParameterKind.Integer)
        {
            Error(path, $"must be an integer, not '{value}'");
            return null;
        }

        var integer = value.Value.AsLong();
        if (integer < min || integer > max)
        {
            Error(path, $"must be between {min} and {max}, not {integer}");
            return null;
        }

        return integer;
    }

    public double? Number(SpecNode? node, string path, double min, double max, bool minExclusive = false)
    {
        var value = Scalar(node, path);
        if (value is null)
        {
            return null;
        }

        if (!value.Value.IsNumeric)
        {
            Error(path, $"must be a number, not '{value}'");
            return null;
        }

        var number = value.Value.AsDouble();
        if (minExclusive ? number <= min : number < min)
        {
            Error(path, $"must be {(minExclusive ? ">" : ">=")} {min}, not {number}");
            return null;
        }

        if (number > max)
        {
            Error(path, $"must be <= {max}, not {number}");
            return null;
        }

        return number;
    }
}
