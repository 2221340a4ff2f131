using System.Collections;
using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace RnnLab.Sweeps.Parameters;

/// <summary>An immutable configuration (parameter name → value) that round-trips through JSON losslessly.</summary>
public sealed class ParameterSet : IReadOnlyDictionary<string, ParameterValue>, IEquatable<ParameterSet>
{
    private readonly ImmutableSortedDictionary<string, ParameterValue> _values;

    private ParameterSet(ImmutableSortedDictionary<string, ParameterValue> values) => _values = values;

    public static ParameterSet Empty { get; } = new(ImmutableSortedDictionary.Create<string, ParameterValue>(StringComparer.Ordinal));

    public static ParameterSet From(IEnumerable<KeyValuePair<string, ParameterValue>> values) =>
        new(ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, values));

    public int Count => _values.Count;

    public IEnumerable<string> Keys => _values.Keys;

    public IEnumerable<ParameterValue> Values => _values.Values;

    public ParameterValue this[string key] => _values.TryGetValue(key, out var value)
        ? value
        : throw new KeyNotFoundException($"parameter '{key}' is not set");

    public bool ContainsKey(string key) => _values.ContainsKey(key);

    public bool TryGetValue(string key, out ParameterValue value) => _values.TryGetValue(key, out value);

    public ParameterSet With(string name, ParameterValue value) => new(_values.SetItem(name, value));

    public ParameterSet Without(string name) => new(_values.Remove(name));

    /// <summary>Values of <paramref name="other"/> win where both sets have a name.</summary>
    public ParameterSet Merge(ParameterSet other) => new(_values.SetItems(other._values));

    public double GetDouble(string name) => this[name].AsDouble();

    public long GetLong(string name) => this[name].AsLong();

    public string GetString(string name) => this[name].AsString();

    public bool GetBool(string name) => this[name].AsBool();

    /// <summary>
    /// Reals are always written with a decimal point or exponent so that 1.0 reads back as a real, not an integer.
    /// </summary>
    public string ToJson()
    {
        var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            foreach (var (name, value) in _values)
            {
                writer.WritePropertyName(name);
                switch (value.Kind)
                {
                    case ParameterKind.Real:
                        writer.WriteRawValue(FormatReal(value.AsDouble()));
                        break;
                    case ParameterKind.Integer:
                        writer.WriteNumberValue(value.AsLong());
                        break;
                    case ParameterKind.Text:
                        writer.WriteStringValue(value.AsString());
                        break;
                    default:
                        writer.WriteBooleanValue(value.AsBool());
                        break;
                }
            }

            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    public static ParameterSet FromJson(string json)
    {
        using var document = JsonDocument.Parse(json);
        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException("a parameter set must be a JSON object");
        }

        var values = new List<KeyValuePair<string, ParameterValue>>();
        foreach (var property in document.RootElement.EnumerateObject())
        {
            values.Add(new(property.Name, ReadValue(property.Name, property.Value)));
        }

        return From(values);
    }

    private static ParameterValue ReadValue(string name, JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.String => ParameterValue.Text(element.GetString()!),
        JsonValueKind.True => ParameterValue.Boolean(true),
        JsonValueKind.False => ParameterValue.Boolean(false),
        JsonValueKind.Number when IsIntegerLiteral(element.GetRawText()) && element.TryGetInt64(out var integer) =>
            ParameterValue.Integer(integer),
        JsonValueKind.Number => ParameterValue.Real(element.GetDouble()),
        _ => throw new FormatException($"parameter '{name}': {element.ValueKind} is not a double, long, string or bool"),
    };

    private static bool IsIntegerLiteral(string raw) => raw.IndexOfAny(['.', 'e', 'E']) < 0;

    private static string FormatReal(double value)
    {
        var text = value.ToString("R", CultureInfo.InvariantCulture);
        return text.IndexOfAny(['.', 'E', 'e']) < 0 ? text + ".0" : text;
    }

    public bool Equals(ParameterSet? other) =>
        other is not null && other._values.Count == _values.Count &&
        _values.All(pair => other._values.TryGetValue(pair.Key, out var value) && value.Equals(pair.Value));

    public override bool Equals(object? obj) => Equals(obj as ParameterSet);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var (name, value) in _values)
        {
            hash.Add(name);
            hash.Add(value);
        }

        return hash.ToHashCode();
    }

    public override string ToString() => string.Join(", ", _values.Select(pair => $"{pair.Key}={pair.Value}"));

    public IEnumerator<KeyValuePair<string, ParameterValue>> GetEnumerator() => _values.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

}
