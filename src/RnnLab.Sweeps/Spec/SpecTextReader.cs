using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using RnnLab.Sweeps.Parameters;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace RnnLab.Sweeps.Spec;

/// <summary>Reads spec text (JSON when it starts with '{', YAML otherwise) into a <see cref="SpecNode"/> tree.</summary>
internal static partial class SpecTextReader
{
    public static SpecNode? Read(string text, List<SpecError> errors)
    {
        if (text.Length > SpecLimits.MaxTextLength)
        {
            errors.Add(new("", $"spec is {text.Length} characters; the limit is {SpecLimits.MaxTextLength}"));
            return null;
        }

        // PostgreSQL text cannot hold NUL, and no spec needs one: refuse it before it reaches storage.
        if (text.IndexOf('\0') is var nul and >= 0)
        {
            var line = text.AsSpan(0, nul).Count('\n') + 1;
            var column = nul - (text.LastIndexOf('\n', nul) + 1) + 1;
            errors.Add(new("", $"spec contains a NUL character at line {line}, column {column}"));
            return null;
        }

        var budget = new NodeBudget();
        try
        {
            return text.TrimStart().StartsWith('{') ? ReadJson(text, errors, budget) : ReadYaml(text, errors, budget);
        }
        catch (NodeBudgetExceeded)
        {
            errors.Add(new("", $"spec has more than {SpecLimits.MaxNodes} nodes"));
            return null;
        }
    }

    private static SpecNode? ReadJson(string text, List<SpecError> errors, NodeBudget budget)
    {
        try
        {
            using var document = JsonDocument.Parse(text, new JsonDocumentOptions
            {
                AllowTrailingCommas = true,
                CommentHandling = JsonCommentHandling.Skip,
                MaxDepth = SpecLimits.MaxDepth,
            });
            return FromJson(document.RootElement, "", errors, budget);
        }
        catch (JsonException exception)
        {
            var reason = exception.Message.Contains("maximum configured depth", StringComparison.Ordinal)
                ? $"nests deeper than {SpecLimits.MaxDepth} levels (line {exception.LineNumber + 1})"
                : exception.Message;
            errors.Add(new("", $"not valid JSON: {reason}"));
            return null;
        }
    }

    private static SpecNode FromJson(JsonElement element, string path, List<SpecError> errors, NodeBudget budget)
    {
        budget.Take();
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                var entries = new List<KeyValuePair<string, SpecNode>>();
                foreach (var property in element.EnumerateObject())
                {
                    var childPath = SpecPath.Key(path, property.Name);
                    if (entries.Any(entry => entry.Key == property.Name))
                    {
                        errors.Add(new(childPath, "key appears twice"));
                        continue;
                    }

                    entries.Add(new(property.Name, FromJson(property.Value, childPath, errors, budget)));
                }

                return new SpecMap(entries);
            case JsonValueKind.Array:
                return new SpecList(element.EnumerateArray()
                    .Select((item, i) => FromJson(item, SpecPath.Index(path, i), errors, budget)).ToArray());
            case JsonValueKind.String:
                return new SpecScalar(ParameterValue.Text(element.GetString()!));
            case JsonValueKind.True:
                return new SpecScalar(ParameterValue.Boolean(true));
            case JsonValueKind.False:
                return new SpecScalar(ParameterValue.Boolean(false));
            case JsonValueKind.Number:
                if (element.GetRawText().IndexOfAny(['.', 'e', 'E']) < 0 && element.TryGetInt64(out var integer))
                {
                    return new SpecScalar(ParameterValue.Integer(integer));
                }

                if (element.TryGetDouble(out var real) && double.IsFinite(real))
                {
                    return new SpecScalar(ParameterValue.Real(real));
                }

                errors.Add(new(path, $"the number {Shorten(element.GetRawText())} is out of range"));
                return new SpecScalar(null);
            default:
                return new SpecScalar(null);
        }
    }

    private static SpecNode? ReadYaml(string text, List<SpecError> errors, NodeBudget budget)
    {
        var stream = new YamlStream();
        var parser = new TrackingParser(new StringReader(text));
        try
        {
            stream.Load(parser);
        }
        catch (SpecTooDeepException exception)
        {
            errors.Add(new("", $"not valid YAML: nests deeper than {SpecLimits.MaxDepth} levels at line {exception.At.Line}, column {exception.At.Column}"));
            return null;
        }
        catch (YamlException exception)
        {
            var reason = exception.InnerException?.Message ?? exception.Message;
            errors.Add(new("", $"not valid YAML at line {exception.Start.Line}, column {exception.Start.Column}: {reason}"));
            return null;
        }
        catch (Exception exception) when (exception is not NodeBudgetExceeded and not SpecTooDeepException)
        {
            // YamlDotNet throws other exceptions (InvalidOperationException and the like) on some malformed
            // input; they carry no position, so the end of the last well-formed token stands in for it.
            var at = parser.LastGood;
            var reason = exception is InvalidOperationException
                ? "the structure is broken (an unclosed bracket or brace, or a tag in the wrong place)"
                : exception is ArgumentException argument && argument.ParamName is { } name
                    ? argument.Message.Replace($" (Parameter '{name}')", "", StringComparison.Ordinal)
                    : exception.Message;
            errors.Add(new("", $"not valid YAML after line {at.Line}, column {at.Column}: {reason}"));
            return null;
        }

        if (stream.Documents.Count == 0)
        {
            errors.Add(new("", "spec is empty"));
            return null;
        }

        if (stream.Documents.Count > 1)
        {
            errors.Add(new("", "spec must be one YAML document"));
        }

        return FromYaml(stream.Documents[0].RootNode, "", errors, budget);
    }

    private static SpecNode FromYaml(YamlNode node, string path, List<SpecError> errors, NodeBudget budget)
    {
        budget.Take();
        switch (node)
        {
            case YamlMappingNode mapping:
                var entries = new List<KeyValuePair<string, SpecNode>>();
                foreach (var (keyNode, valueNode) in mapping.Children)
                {
                    if (keyNode is not YamlScalarNode { Value: { } key })
                    {
                        errors.Add(new(path, $"keys must be plain words (line {keyNode.Start.Line})"));
                        continue;
                    }

                    entries.Add(new(key, FromYaml(valueNode, SpecPath.Key(path, key), errors, budget)));
                }

                return new SpecMap(entries);
            case YamlSequenceNode sequence:
                return new SpecList(sequence.Children
                    .Select((item, i) => FromYaml(item, SpecPath.Index(path, i), errors, budget)).ToArray());
            case YamlScalarNode scalar:
                return new SpecScalar(scalar.Style is ScalarStyle.Plain ? ResolvePlain(scalar.Value ?? "") : ParameterValue.Text(scalar.Value ?? ""));
            default:
                errors.Add(new(path, "unsupported YAML node"));
                return new SpecScalar(null);
        }
    }

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..37] + "...";

    /// <summary>YAML 1.2 core schema resolution of an unquoted scalar.</summary>
    private static ParameterValue? ResolvePlain(string text)
    {
        if (text is "" or "~" or "null" or "Null" or "NULL")
        {
            return null;
        }

        if (text is "true" or "True" or "TRUE")
        {
            return ParameterValue.Boolean(true);
        }

        if (text is "false" or "False" or "FALSE")
        {
            return ParameterValue.Boolean(false);
        }

        if (IntegerPattern().IsMatch(text) && long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer))
        {
            return ParameterValue.Integer(integer);
        }

        if (RealPattern().IsMatch(text) && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var real) && double.IsFinite(real))
        {
            return ParameterValue.Real(real);
        }

        return ParameterValue.Text(text);
    }

    [GeneratedRegex("^[-+]?[0-9]+$")]
    private static partial Regex IntegerPattern();

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")]
    private static partial Regex RealPattern();

    /// <summary>Counts nodes so that alias expansion or a huge document cannot exhaust memory.</summary>
    private sealed class NodeBudget
    {
        private int _left = SpecLimits.MaxNodes;

        public void Take()
        {
            if (--_left < 0)
            {
                throw new NodeBudgetExceeded();
            }
        }
    }

    private sealed class NodeBudgetExceeded : Exception;
}
