using RnnLab.CellGraphs;
using RnnLab.Models.Cells;

namespace RnnLab.Models.Graphs;

/// <summary>Builds a cell from a name or a graph; a graph equal to a built-in cell's runs on its hand-written kernel.</summary>
public static class GraphCellFactory
{
    public static RecurrentCell Create(string cell, CellGraph? graph, CellOptions options)
    {
        if (graph is null)
        {
            return CellFactory.Create(cell, options);
        }

        return BuiltinTwin(graph) is { } builtin ? CellFactory.Create(builtin, options) : new GraphCell(graph, options);
    }

    /// <summary>The built-in cell with the same architecture (canonical hash), if any.</summary>
    public static string? BuiltinTwin(CellGraph graph) => BuiltinsByHash.Value.GetValueOrDefault(graph.Hash());

    private static readonly Lazy<Dictionary<string, string>> BuiltinsByHash =
        new(() => BuiltinCellGraphs.Names.ToDictionary(n => BuiltinCellGraphs.Get(n).Hash()));
}
