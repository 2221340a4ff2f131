using RnnLab.CellGraphs;
namespace RnnLab.Sweeps.Parameters;

/// <summary>
/// The flat, snake_case trial parameters shared with the trainer's TrialConfig, with the bounds that keep one
/// spec from exhausting a cluster.
/// </summary>
public static class ParameterCatalog
{
    public const int MaxHidden = 4096;
    public const int MaxLayers = 16;
    public const int MaxSequenceLength = 10_000;
    public const int MaxEpochs = 10_000;

    private static readonly ParameterDefinition[] _definitions =
    [
        new("cell", ParameterKind.Text, AllowedValues: CellNames.All),
        new("cell_graph", ParameterKind.Text, CheckText: CellGraphText),
        new("layers", ParameterKind.Integer, 1, MaxLayers),
        new("bidirectional", ParameterKind.Boolean),
        new("hidden", ParameterKind.Integer, 1, MaxHidden),
        new("optimizer", ParameterKind.Text, AllowedValues: ["sgd", "adam"]),
        new("lr", ParameterKind.Real, 0, 10, MinExclusive: true),
        new("momentum", ParameterKind.Real, 0, 0.9999),
        new("input_noise", ParameterKind.Real, 0, 10),
        new("clip", ParameterKind.Real, 0, 1e6),
        new("forget_bias", ParameterKind.Real, -10, 10),
        new("dropout", ParameterKind.Real, 0, 0.99),
        new("batch", ParameterKind.Integer, 1, 65_536),
        new("epochs", ParameterKind.Integer, 1, MaxEpochs),
        new("bptt", ParameterKind.Integer, 1, MaxSequenceLength),
        new("init", ParameterKind.Text),
        new("init_scale", ParameterKind.Real, 0, 100, MinExclusive: true),
        new("patience", ParameterKind.Integer, 0, MaxEpochs),
        new("lr_decay", ParameterKind.Real, 0, 1, MinExclusive: true),
        new("lr_patience", ParameterKind.Integer, 0, MaxEpochs),
        new("seed", ParameterKind.Integer, 0, long.MaxValue),
        new("screen_task", ParameterKind.Text, AllowedValues: ["adding", "copy"]),
        new("screen_length", ParameterKind.Integer, 2, MaxSequenceLength),
        new("screen_size", ParameterKind.Integer, 4, 100_000),
        new("screen_epochs", ParameterKind.Integer, 1, MaxEpochs),
        new("screen_threshold", ParameterKind.Real, -1e9, 1e9),
    ];

    /// <summary>A cell graph given in a spec is checked when the spec is, with the graph's own paths. A graph may take a
    /// built-in cell's name only when it is that cell: the trials' cell column, the comparisons against the baseline cell
    /// and the reports group trials by that name.</summary>
    private static string? CellGraphText(string text)
    {
        try
        {
            var graph = RnnLab.CellGraphs.CellGraph.Parse(text);
            if (RnnLab.CellGraphs.BuiltinCellGraphs.Contains(graph.Name) &&
                RnnLab.CellGraphs.BuiltinCellGraphs.Get(graph.Name).Hash() is var builtIn && graph.Hash() != builtIn)
            {
                return $"cell_graph: is named '{graph.Name}' like the built-in cell, but it is another architecture " +
                       $"(hash {graph.Hash()}, {graph.Name}'s is {builtIn}); give it a name of its own";
            }

            return null;
        }
        catch (RnnLab.CellGraphs.CellGraphException e)
        {
            return "cell_graph: " + string.Join("; ", e.Errors);
        }
    }

    private static readonly Dictionary<string, ParameterDefinition> _byName =
        _definitions.ToDictionary(definition => definition.Name, StringComparer.Ordinal);

    public static IReadOnlyList<string> Names { get; } = _definitions.Select(definition => definition.Name).ToArray();

    public static bool TryGet(string name, out ParameterDefinition definition) =>
        _byName.TryGetValue(name, out definition!);

    public static ParameterDefinition Get(string name) => _byName.TryGetValue(name, out var definition)
        ? definition
        : throw new KeyNotFoundException($"'{name}' is not a trial parameter");
}
