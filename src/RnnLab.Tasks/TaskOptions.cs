using System.Globalization;

namespace RnnLab.Tasks;

/// <summary>A task's string options (e.g. <c>length=50</c>) read as typed values; options no task reads are
/// reported as errors listing the ones it knows.</summary>
public sealed class TaskOptions
{
    private readonly IReadOnlyDictionary<string, string> _values;
    private readonly HashSet<string> _known = new(StringComparer.Ordinal);

    public TaskOptions(IReadOnlyDictionary<string, string>? values)
    {
        _values = values ?? new Dictionary<string, string>();
    }

    public int GetInt(string name, int defaultValue, int min = int.MinValue, int max = int.MaxValue)
    {
        _known.Add(name);
        if (!_values.TryGetValue(name, out var text))
        {
            return defaultValue;
        }

        if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value))
        {
            throw new ArgumentException($"task option '{name}' must be an integer, got '{text}'");
        }

        if (value < min || value > max)
        {
            throw new ArgumentException($"task option '{name}' must be between {min} and {max}, got {value}");
        }

        return value;
    }

    public double GetDouble(string name, double defaultValue, double min, double max)
    {
        _known.Add(name);
        if (!_values.TryGetValue(name, out var text))
        {
            return defaultValue;
        }

        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value))
        {
            throw new ArgumentException($"task option '{name}' must be a number, got '{text}'");
        }

        if (value < min || value > max)
        {
            throw new ArgumentException($"task option '{name}' must be between {min} and {max}, got {value}");
        }

        return value;
    }

    public string GetString(string name, string defaultValue)
    {
        _known.Add(name);
        return _values.TryGetValue(name, out var text) ? text : defaultValue;
    }

    /// <summary>Throws when an option was given that the task never read.</summary>
    public void EnsureAllKnown(string taskName)
    {
        var unknown = _values.Keys.Where(k => !_known.Contains(k)).OrderBy(k => k, StringComparer.Ordinal).ToList();
        if (unknown.Count > 0)
        {
            var valid = _known.Count == 0 ? "none" : string.Join(", ", _known.OrderBy(k => k, StringComparer.Ordinal));
            throw new ArgumentException($"unknown task option(s) {string.Join(", ", unknown)} for task '{taskName}'; valid options: {valid}");
        }
    }
}
