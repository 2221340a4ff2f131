using RnnLab.Training;
using YamlDotNet.Core;
using YamlDotNet.Serialization;

namespace RnnLab.Cli.Commands;

/// <summary>Reads trial parameters from a small YAML mapping, e.g. <c>task: adding</c>, <c>hidden: 64</c>,
/// <c>task_options: {length: 50}</c>; names may use '-' or '_'.</summary>
public static class TrialConfigFile
{
    public static Dictionary<string, object?> Read(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"config file '{path}' does not exist", path);
        }

        object? document;
        try
        {
            document = new DeserializerBuilder().Build().Deserialize<object>(File.ReadAllText(path));
        }
        catch (YamlException ex)
        {
            throw new InvalidDataException($"{path}: invalid YAML at line {ex.Start.Line}, column {ex.Start.Column}: {ex.Message}", ex);
        }

        if (document is null)
        {
            return [];
        }

        if (document is not IDictionary<object, object> map)
        {
            throw new InvalidDataException($"{path}: expected a mapping of trial parameters (name: value)");
        }

        var parameters = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var (key, value) in map)
        {
            var name = Convert.ToString(key, System.Globalization.CultureInfo.InvariantCulture)!.Replace('-', '_');
            parameters[name] = value switch
            {
                IDictionary<object, object> options when name == "task_options" =>
                    options.ToDictionary(p => p.Key.ToString()!, p => p.Value?.ToString() ?? "", StringComparer.Ordinal) as IReadOnlyDictionary<string, string>,
                IDictionary<object, object> or IList<object> =>
                    throw new InvalidDataException($"{path}: parameter '{name}' must be a single value"),
                _ => value,
            };
        }

        if (parameters.Keys.FirstOrDefault(k => !TrialConfig.ParameterNames.Contains(k) && !k.StartsWith(TrialConfig.TaskOptionPrefix, StringComparison.Ordinal)) is { } unknown)
        {
            throw new InvalidDataException($"{path}: unknown parameter '{unknown}'; valid: {string.Join(", ", TrialConfig.ParameterNames)}");
        }

        return parameters;
    }
}
