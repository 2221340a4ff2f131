using RnnLab.Sweeps.Parameters;
using RnnLab.Sweeps.Space;

namespace RnnLab.Sweeps.Spec;

/// <summary>Reads search.space: one domain per known parameter, plus conditions, checked against the catalog.</summary>
internal static class SpaceParser
{
    private static readonly string[] _domainKeys = ["uniform", "loguniform", "one_minus_loguniform", "int", "int_log", "categorical", "fixed"];
    private static readonly string[] _parameterKeys = [.. _domainKeys, "when"];

    public static SearchSpace? Read(SpecReader reader, SpecNode? node, ParameterSet fixedValues)
    {
        const string root = "search.space";
        var map = reader.Map(node, root);
        var parameters = fixedValues.Select(pair => new SearchParameter(pair.Key, new FixedDomain(pair.Value))).ToList();
        if (map is null)
        {
            return null;
        }

        if (map.Entries.Count == 0)
        {
            reader.Error(root, "names no parameter to search");
        }

        var errorsBefore = reader.Errors.Count;
        var conditions = new List<(string Path, SearchParameter Parameter)>();
        foreach (var (name, parameterNode) in map.Entries)
        {
            var path = SpecPath.Key(root, name);
            if (Definition(reader, name, path) is not { } definition)
            {
                continue;
            }

            if (fixedValues.ContainsKey(name))
            {
                reader.Error(path, "is also set in fixed; give it in one place");
                continue;
            }

            if (ReadParameter(reader, parameterNode, path, definition) is { } parameter)
            {
                parameters.Add(parameter);
                if (parameter.Condition is not null)
                {
                    conditions.Add((SpecPath.Key(path, "when"), parameter));
                }
            }
        }

        var byName = parameters.ToDictionary(parameter => parameter.Name, StringComparer.Ordinal);
        foreach (var (path, parameter) in conditions)
        {
            foreach (var dependency in parameter.Condition!.DependsOn)
            {
                if (dependency == parameter.Name)
                {
                    reader.Error(SpecPath.Key(path, dependency), "a parameter cannot depend on itself");
                }
                else if (!byName.ContainsKey(dependency))
                {
                    reader.Error(SpecPath.Key(path, dependency), "is neither in fixed nor in search.space");
                }
            }
        }

        if (reader.Errors.Count > errorsBefore)
        {
            return null;
        }

        try
        {
            return new SearchSpace(parameters);
        }
        catch (ArgumentException exception)
        {
            reader.Error(root, exception.Message);
            return null;
        }
    }

    public static ParameterDefinition? Definition(SpecReader reader, string name, string path)
    {
        if (ParameterCatalog.TryGet(name, out var definition))
        {
            return definition;
        }

        var nearest = NearestName.Suggest(name, ParameterCatalog.Names);
        reader.Error(path, "unknown parameter" + (nearest is null
            ? $" (expected one of {string.Join(", ", ParameterCatalog.Names)})"
            : $"; did you mean '{nearest}'?"));
        return null;
    }

    /// <summary>Reads one value of a parameter; integers given for a real parameter become reals.</summary>
    public static ParameterValue? Value(SpecReader reader, SpecNode? node, string path, ParameterDefinition definition)
    {
        if (UnreadGraphFile(reader, node, path, definition))
        {
            return null;
        }

        if (reader.Scalar(node, path) is not { } value)
        {
            return null;
        }

        if (definition.Check(value) is { } problem)
        {
            reader.Error(path, problem);
            return null;
        }

        return definition.Kind == ParameterKind.Real && value.Kind == ParameterKind.Integer
            ? ParameterValue.Real(value.AsDouble())
            : value;
    }

    /// <summary>
    /// A <c>cell_graph: { file: PATH }</c> left in the text: <see cref="SpecFile"/> puts graph files inline where the
    /// spec file is, and a spec read from anywhere else (a server) must not open paths it was sent.
    /// </summary>
    private static bool UnreadGraphFile(SpecReader reader, SpecNode? node, string path, ParameterDefinition definition)
    {
        if (definition.Name != "cell_graph" || !SpecFile.IsGraphFile(node))
        {
            return false;
        }

        reader.Error(SpecPath.Key(path, "file"), "a graph file is read from the spec's folder by `rnnlab submit FILE` or " +
            "`rnnlab run FILE`, which send the graph inline; a spec given as text must give the graph inline");
        return true;
    }

    private static SearchParameter? ReadParameter(SpecReader reader, SpecNode? node, string path, ParameterDefinition definition)
    {
        if (UnreadGraphFile(reader, node, path, definition))
        {
            return null;
        }

        switch (node)
        {
            case SpecScalar:
                return Value(reader, node, path, definition) is { } constant
                    ? new SearchParameter(definition.Name, new FixedDomain(constant))
                    : null;
            case SpecList list:
                var choices = Choices(reader, list, path, definition);
                return choices is null ? null : new SearchParameter(definition.Name, new CategoricalDomain(choices));
        }

        var map = reader.Map(node, path);
        if (map is null)
        {
            return null;
        }

        reader.AllowOnly(map, path, _parameterKeys);
        var domainKeys = map.Entries.Select(entry => entry.Key).Where(_domainKeys.Contains).ToArray();
        if (domainKeys.Length != 1)
        {
            reader.Error(path, domainKeys.Length == 0
                ? $"needs one of {string.Join(", ", _domainKeys)}"
                : $"gives {string.Join(" and ", domainKeys)}; give exactly one");
            return null;
        }

        var kind = domainKeys[0];
        var domainPath = SpecPath.Key(path, kind);
        var domain = ReadDomain(reader, map[kind], domainPath, kind, definition);
        var condition = map["when"] is null ? null : ReadCondition(reader, map["when"], SpecPath.Key(path, "when"));
        return domain is null ? null : new SearchParameter(definition.Name, domain, condition);
    }

    private static ParameterDomain? ReadDomain(SpecReader reader, SpecNode? node, string path, string kind, ParameterDefinition definition)
    {
        if (kind == "fixed")
        {
            return Value(reader, node, path, definition) is { } value ? new FixedDomain(value) : null;
        }

        if (node is not SpecList list)
        {
            reader.Error(path, $"must be a list, not {node?.Describe() ?? "empty"}");
            return null;
        }

        if (kind == "categorical")
        {
            var choices = Choices(reader, list, path, definition);
            return choices is null ? null : new CategoricalDomain(choices);
        }

        if (definition.Kind is ParameterKind.Text or ParameterKind.Boolean)
        {
            reader.Error(path, $"{definition.Name} takes {(definition.Kind == ParameterKind.Text ? "words" : "true/false")}: use categorical or fixed");
            return null;
        }

        var isInteger = kind is "int" or "int_log";
        if (definition.Kind == ParameterKind.Integer && !isInteger)
        {
            reader.Error(path, $"{definition.Name} takes integers: use int or int_log");
            return null;
        }

        if (list.Items.Count != 2)
        {
            reader.Error(path, $"must be [low, high], not {list.Items.Count} values");
            return null;
        }

        // one_minus_loguniform: [low, high] bound x, and the value is 1 − x (the Odyssey's momentum).
        var complement = kind == "one_minus_loguniform";
        var log = kind is "loguniform" or "int_log" || complement;
        var bounds = new double?[2];
        for (var i = 0; i < 2; i++)
        {
            var boundPath = SpecPath.Index(path, i);
            var value = reader.Scalar(list.Items[i], boundPath);
            if (value is null)
            {
                continue;
            }

            if (isInteger ? value.Value.Kind != ParameterKind.Integer : !value.Value.IsNumeric)
            {
                reader.Error(boundPath, $"must be {(isInteger ? "an integer" : "a number")}, not '{value}'");
                continue;
            }

            var number = value.Value.AsDouble();
            if (log && number <= 0)
            {
                reader.Error(boundPath, "must be > 0 on a log scale");
                continue;
            }

            if (definition.CheckRange(complement ? 1 - number : number) is { } problem)
            {
                reader.Error(boundPath, problem);
                continue;
            }

            bounds[i] = number;
        }

        if (bounds[0] is not { } low || bounds[1] is not { } high)
        {
            return null;
        }

        if (isInteger ? low > high : low >= high)
        {
            reader.Error(path, $"low ({low}) must be {(isInteger ? "<=" : "<")} high ({high})");
            return null;
        }

        return isInteger ? new IntegerDomain((long)low, (long)high, log)
            : complement ? new OneMinusLogDomain(low, high)
            : new RealDomain(low, high, log);
    }

    private static IReadOnlyList<ParameterValue>? Choices(SpecReader reader, SpecList list, string path, ParameterDefinition definition)
    {
        if (list.Items.Count == 0 || list.Items.Count > SpecLimits.MaxChoices)
        {
            reader.Error(path, $"must list between 1 and {SpecLimits.MaxChoices} choices");
            return null;
        }

        var choices = new List<ParameterValue>();
        var ok = true;
        for (var i = 0; i < list.Items.Count; i++)
        {
            var choicePath = SpecPath.Index(path, i);
            if (Value(reader, list.Items[i], choicePath, definition) is not { } value)
            {
                ok = false;
            }
            else if (choices.Contains(value))
            {
                reader.Error(choicePath, $"'{value}' is listed twice");
                ok = false;
            }
            else
            {
                choices.Add(value);
            }
        }

        return ok ? choices : null;
    }

    private static ParameterCondition? ReadCondition(SpecReader reader, SpecNode? node, string path)
    {
        var map = reader.Map(node, path);
        if (map is null)
        {
            return null;
        }

        if (map.Entries.Count == 0)
        {
            reader.Error(path, "names no condition");
            return null;
        }

        var requirements = new Dictionary<string, IReadOnlyList<ParameterValue>>(StringComparer.Ordinal);
        foreach (var (name, valueNode) in map.Entries)
        {
            var clausePath = SpecPath.Key(path, name);
            if (Definition(reader, name, clausePath) is not { } definition)
            {
                continue;
            }

            var values = valueNode is SpecList list
                ? Choices(reader, list, clausePath, definition)
                : Value(reader, valueNode, clausePath, definition) is { } single ? [single] : null;
            if (values is not null)
            {
                requirements[name] = values;
            }
        }

        return requirements.Count == map.Entries.Count ? new ParameterCondition(requirements) : null;
    }
}
