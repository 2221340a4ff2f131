using System.Text.Encodings.Web;
using System.Text.Json;
using RnnLab.CellGraphs;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.RepresentationModel;

namespace RnnLab.Sweeps.Spec;

/// <summary>A spec's text with the graph files it names put inline, or the problems that kept them out.</summary>
public sealed record SpecFileText(string Text, IReadOnlyList<SpecError> Errors)
{
    public bool IsValid => Errors.Count == 0;
}

/// <summary>
/// Reads a sweep spec from a file. A cell graph may be named by file — <c>cell_graph: { file: graphs/mine.yaml }</c>,
/// in <c>fixed</c> or among a categorical's choices — relative to the spec's folder; the graph is read, validated and
/// put into the text inline, so the text a server stores, and every trial it makes, carries the graph itself and
/// never depends on the file again. A server never reads such a path: text submitted on its own must give graphs inline.
/// </summary>
public static class SpecFile
{
    /// <summary>The largest graph file read; built-in graphs are a few hundred bytes.</summary>
    public const int MaxGraphFileBytes = 256 * 1024;

    private const string GraphParameter = "cell_graph";
    private const string FileKey = "file";

    private static readonly JsonSerializerOptions _quoting = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The text of the spec at <paramref name="path"/>, its graph files inline.</summary>
    public static SpecFileText Read(string path)
    {
        var full = Path.GetFullPath(path);
        return InlineGraphFiles(File.ReadAllText(full), Path.GetDirectoryName(full)!);
    }

    /// <summary>
    /// Puts every <c>cell_graph: { file: PATH }</c> of <paramref name="text"/> inline, PATH relative to
    /// <paramref name="folder"/>. Text that does not parse comes back unchanged: <see cref="SweepSpec.Parse"/> names its errors.
    /// </summary>
    public static SpecFileText InlineGraphFiles(string text, string folder)
    {
        ArgumentNullException.ThrowIfNull(text);
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (Exception exception) when (exception is YamlException or InvalidOperationException or ArgumentException)
        {
            return new(text, []);
        }

        if (stream.Documents.Count != 1)
        {
            return new(text, []);
        }

        var references = new List<(string Path, YamlMappingNode Node, YamlNode File)>();
        Find(stream.Documents[0].RootNode, "", underGraph: false, references);
        var errors = new List<SpecError>();
        var replacements = new List<(int Start, int End, string Text)>();
        foreach (var (path, node, file) in references)
        {
            var filePath = SpecPath.Key(path, FileKey);
            if (Load(file, folder, filePath, errors) is not { } graph)
            {
                continue;
            }

            // The mapping's own end mark is not where it ends: a flow mapping ends at the brace after the file's
            // value, a block one with that value (its end mark is where the next key begins).
            var end = (int)file.End.Index;
            if (node.Style == MappingStyle.Flow)
            {
                end = text.IndexOf('}', end) + 1;
            }

            replacements.Add(((int)node.Start.Index, end, JsonSerializer.Serialize(graph.ToYaml(), _quoting)));
        }

        if (errors.Count > 0)
        {
            return new(text, errors);
        }

        var inlined = text;
        foreach (var (start, end, quoted) in replacements.OrderByDescending(r => r.Start))
        {
            inlined = string.Concat(inlined.AsSpan(0, start), quoted, inlined.AsSpan(end));
        }

        return new(inlined, []);
    }

    /// <summary>Whether a spec node is a graph named by file, which only <see cref="SpecFile"/> resolves.</summary>
    internal static bool IsGraphFile(SpecNode? node) =>
        node is SpecMap { Entries.Count: 1 } map && map.Entries[0].Key == FileKey;

    /// <summary>Collects the <c>{ file: PATH }</c> mappings at or below a <c>cell_graph</c> key, with their spec paths.</summary>
    private static void Find(YamlNode node, string path, bool underGraph, List<(string, YamlMappingNode, YamlNode)> found)
    {
        switch (node)
        {
            case YamlMappingNode mapping when underGraph && mapping.Children.Count == 1 &&
                                              mapping.Children.Keys.First() is YamlScalarNode { Value: FileKey }:
                found.Add((path, mapping, mapping.Children.Values.First()));
                break;
            case YamlMappingNode mapping:
                foreach (var (key, value) in mapping.Children)
                {
                    if (key is YamlScalarNode { Value: { } name })
                    {
                        Find(value, SpecPath.Key(path, name), underGraph || name == GraphParameter, found);
                    }
                }

                break;
            case YamlSequenceNode sequence:
                for (var i = 0; i < sequence.Children.Count; i++)
                {
                    Find(sequence.Children[i], SpecPath.Index(path, i), underGraph, found);
                }

                break;
        }
    }

    private static CellGraph? Load(YamlNode file, string folder, string path, List<SpecError> errors)
    {
        if (file is not YamlScalarNode { Value: { } name } || name.Trim().Length == 0)
        {
            errors.Add(new(path, "must name a cell graph file (YAML or JSON), relative to the spec's folder"));
            return null;
        }

        var full = Path.GetFullPath(Path.Combine(folder, name));
        if (!File.Exists(full))
        {
            errors.Add(new(path, $"'{name}' does not exist (looked for {full})"));
            return null;
        }

        if (new FileInfo(full).Length > MaxGraphFileBytes)
        {
            errors.Add(new(path, $"'{name}' is larger than {MaxGraphFileBytes / 1024} KiB; a cell graph is a few hundred bytes"));
            return null;
        }

        string text;
        try
        {
            text = File.ReadAllText(full);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            errors.Add(new(path, $"'{name}' cannot be read: {exception.Message}"));
            return null;
        }

        try
        {
            var graph = CellGraph.Parse(text);
            // A graph file without a name is known by its file's: the trials' cell column and reports show it.
            return NamesItself(text) ? graph : graph with { Name = Path.GetFileNameWithoutExtension(full) };
        }
        catch (CellGraphException exception)
        {
            errors.Add(new(path, $"'{name}' is not a valid cell graph: {string.Join("; ", exception.Errors)}"));
            return null;
        }
    }

    private static bool NamesItself(string text)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(text));
        return stream.Documents[0].RootNode is YamlMappingNode root && root.Children.ContainsKey(new YamlScalarNode("name"));
    }
}
