using System.Text;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace RnnLab.CellGraphs;

/// <summary>
/// The YAML (or JSON) form of a cell graph:
/// <code>
/// name: rnn-tanh
/// state: [h]
/// nodes:
///   wx: { op: linear, in: [x], bias: true }
///   uh: { op: linear, in: [h] }
///   hn: { op: tanh, in: [s] }
///   s:  { op: add, in: [wx, uh] }
/// outputs: { h: hn }
/// </code>
/// </summary>
public static class CellGraphText
{
    public static CellGraph Parse(string text)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            throw new CellGraphException([$"cell graph: not valid YAML/JSON at line {e.Start.Line}: {e.Message}"]);
        }

        if (stream.Documents.Count != 1 || stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            throw new CellGraphException(["cell graph: expected one mapping with name, state, nodes, outputs"]);
        }

        return FromYaml(root, "");
    }

    /// <summary>Reads a graph from an already parsed YAML mapping (e.g. inline in a sweep spec); paths start with <paramref name="path"/>.</summary>
    public static CellGraph FromYaml(YamlMappingNode root, string path)
    {
        var errors = new List<string>();
        string P(string p) => path.Length == 0 ? p : $"{path}.{p}";
        foreach (var key in root.Children.Keys)
        {
            if (key is not YamlScalarNode { Value: "name" or "state" or "nodes" or "outputs" })
            {
                errors.Add($"{P(key.ToString())}: unknown key (expected name, state, nodes, outputs)");
            }
        }

        var name = Scalar(root, "name") ?? "graph";
        var states = new List<string>();
        switch (Child(root, "state"))
        {
            case null:
                states.Add(CellGraph.Hidden);
                break;
            case YamlSequenceNode seq:
                states.AddRange(seq.Children.Select(c => c is YamlScalarNode s ? s.Value ?? "" : ""));
                break;
            default:
                errors.Add($"{P("state")}: expected a list of state names such as [h, c]");
                break;
        }

        var nodes = new List<CellNode>();
        if (Child(root, "nodes") is YamlMappingNode nodeMap)
        {
            foreach (var (k, v) in nodeMap.Children)
            {
                var nodeName = ((YamlScalarNode)k).Value ?? "";
                var np = P($"nodes.{nodeName}");
                if (v is not YamlMappingNode spec)
                {
                    errors.Add($"{np}: expected {{ op: ..., in: [...] }}");
                    continue;
                }

                var opName = Scalar(spec, "op");
                if (opName is null || !CellOps.TryParse(opName, out var op))
                {
                    errors.Add($"{np}.op: '{opName}' is not an op (expected one of {string.Join(", ", CellOps.Names)})");
                    continue;
                }

                var inputs = Child(spec, "in") switch
                {
                    YamlSequenceNode s => s.Children.Select(c => (c as YamlScalarNode)?.Value ?? "").ToList(),
                    YamlScalarNode s => [s.Value ?? ""],
                    _ => [],
                };
                var bias = Scalar(spec, "bias") is { } b && (b == "true" || b == "True");
                foreach (var key in spec.Children.Keys)
                {
                    if (key is not YamlScalarNode { Value: "op" or "in" or "bias" })
                    {
                        errors.Add($"{np}.{key}: unknown key (expected op, in, bias)");
                    }
                }

                nodes.Add(new CellNode(nodeName, op, inputs, bias));
            }
        }
        else
        {
            errors.Add($"{P("nodes")}: expected a mapping from node name to {{ op, in }}");
        }

        var outputs = new Dictionary<string, string>();
        if (Child(root, "outputs") is YamlMappingNode outMap)
        {
            foreach (var (k, v) in outMap.Children)
            {
                outputs[((YamlScalarNode)k).Value ?? ""] = (v as YamlScalarNode)?.Value ?? "";
            }
        }
        else
        {
            errors.Add($"{P("outputs")}: expected a mapping from each state to the node giving its next value, e.g. {{ h: hn }}");
        }

        if (errors.Count > 0)
        {
            throw new CellGraphException(errors);
        }

        var graph = new CellGraph(name, states, nodes, outputs);
        var invalid = CellGraphValidator.Errors(graph);
        return invalid.Count == 0 ? graph : throw new CellGraphException(invalid.Select(e => path.Length == 0 ? e : $"{path}.{e}").ToList());
    }

    public static string ToYaml(CellGraph g)
    {
        var sb = new StringBuilder();
        sb.Append("name: ").AppendLine(g.Name);
        sb.Append("state: [").Append(string.Join(", ", g.States)).AppendLine("]");
        sb.AppendLine("nodes:");
        foreach (var n in g.Nodes)
        {
            sb.Append("  ").Append(n.Name).Append(": { op: ").Append(CellOps.Name(n.Op))
                .Append(", in: [").Append(string.Join(", ", n.Inputs)).Append(']');
            if (n.HasBias)
            {
                sb.Append(", bias: true");
            }

            sb.AppendLine(" }");
        }

        sb.Append("outputs: { ").Append(string.Join(", ", g.States.Select(s => $"{s}: {g.Outputs.GetValueOrDefault(s)}"))).AppendLine(" }");
        return sb.ToString();
    }

    private static YamlNode? Child(YamlMappingNode map, string key) =>
        map.Children.TryGetValue(new YamlScalarNode(key), out var v) ? v : null;

    private static string? Scalar(YamlMappingNode map, string key) => (Child(map, key) as YamlScalarNode)?.Value;
}
