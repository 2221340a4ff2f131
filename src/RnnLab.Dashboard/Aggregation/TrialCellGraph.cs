using RnnLab.CellGraphs;

namespace RnnLab.Dashboard.Aggregation;

/// <summary>A trial's cell graph drawn for the trial page: its SVG picture and equations, or why it cannot be drawn.</summary>
public sealed record TrialCellGraph(string Name, string Svg, string Equations, string? Problem)
{
    public const string Parameter = "cell_graph";

    /// <summary>The drawing of the trial's <c>cell_graph</c> parameter, or null when the trial uses a built-in cell by name.</summary>
    public static TrialCellGraph? From(TrialSummary trial)
    {
        if (!trial.Parameters.TryGetValue(Parameter, out var value) || value is not string text)
        {
            return null;
        }

        try
        {
            var graph = CellGraph.Parse(text);
            return new TrialCellGraph(graph.Name, CellGraphSvg.Render(graph), graph.Equations(), null);
        }
        catch (CellGraphException e)
        {
            return new TrialCellGraph(trial.Cell, "", "", e.Message);
        }
    }
}
