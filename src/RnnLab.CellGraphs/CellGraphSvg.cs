using System.Globalization;
using System.Text;

namespace RnnLab.CellGraphs;

/// <summary>
/// Draws a cell graph as an SVG picture: x and the previous state on the left, each node one column right of its
/// latest input, the next state on the right; solid arrows carry values within the step.
/// </summary>
public static class CellGraphSvg
{
    private const int ColumnWidth = 96;
    private const int RowHeight = 40;
    private const int BoxWidth = 72;
    private const int BoxHeight = 26;
    private const int Margin = 12;

    public static string Symbol(CellOp op) => op switch
    {
        CellOp.Linear => "W·",
        CellOp.Scale => "p⊙",
        CellOp.Bias => "+b",
        CellOp.Sigmoid => "σ",
        CellOp.Tanh => "tanh",
        CellOp.Relu => "relu",
        CellOp.Identity => "id",
        CellOp.Add => "+",
        CellOp.Subtract => "−",
        CellOp.Multiply => "⊙",
        CellOp.OneMinus => "1−",
        _ => "?",
    };

    public static string Render(CellGraph graph)
    {
        var column = new Dictionary<string, int>();
        foreach (var source in graph.States.Prepend(CellGraph.Input))
        {
            column[source] = 0;
        }

        foreach (var n in graph.TopologicalOrder())
        {
            column[n.Name] = 1 + n.Inputs.Max(i => column.GetValueOrDefault(i));
        }

        var outputColumn = column.Values.Max() + 1;
        var items = graph.States.Prepend(CellGraph.Input).Select(s => (Name: s, Label: s, Kind: "source"))
            .Concat(graph.TopologicalOrder().Select(n => (Name: n.Name, Label: $"{Symbol(n.Op)} {n.Name}", Kind: "node")))
            .Concat(graph.States.Select(s => (Name: s + "'", Label: s + "'", Kind: "output")))
            .ToList();
        foreach (var s in graph.States)
        {
            column[s + "'"] = outputColumn;
        }

        var rowsUsed = new Dictionary<int, int>();
        var position = new Dictionary<string, (double X, double Y)>();
        foreach (var item in items)
        {
            var c = column[item.Name];
            var r = rowsUsed.GetValueOrDefault(c);
            rowsUsed[c] = r + 1;
            position[item.Name] = (Margin + c * ColumnWidth, Margin + r * RowHeight);
        }

        var width = Margin * 2 + outputColumn * ColumnWidth + BoxWidth;
        var height = Margin * 2 + rowsUsed.Values.Max() * RowHeight;
        var svg = new StringBuilder();
        svg.Append(Invariant($"<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"cell-graph\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" font-family=\"sans-serif\" font-size=\"11\">"));
        svg.Append("<defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"6\" markerHeight=\"6\" orient=\"auto\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\"#666\"/></marker></defs>");
        void Edge(string from, string to)
        {
            var (x1, y1) = position[from];
            var (x2, y2) = position[to];
            svg.Append(Invariant($"<line class=\"edge\" x1=\"{x1 + BoxWidth}\" y1=\"{y1 + BoxHeight / 2.0}\" x2=\"{x2}\" y2=\"{y2 + BoxHeight / 2.0}\" stroke=\"#666\" marker-end=\"url(#arrow)\"/>"));
        }

        foreach (var n in graph.Nodes)
        {
            foreach (var i in n.Inputs)
            {
                Edge(i, n.Name);
            }
        }

        foreach (var s in graph.States)
        {
            Edge(graph.Outputs[s], s + "'");
        }

        foreach (var item in items)
        {
            var (x, y) = position[item.Name];
            var fill = item.Kind switch { "source" => "#e8f0fe", "output" => "#e6f4ea", _ => "#fff" };
            svg.Append(Invariant($"<g class=\"{item.Kind}\"><rect x=\"{x}\" y=\"{y}\" width=\"{BoxWidth}\" height=\"{BoxHeight}\" rx=\"5\" fill=\"{fill}\" stroke=\"#333\"/>"));
            svg.Append(Invariant($"<text x=\"{x + BoxWidth / 2.0}\" y=\"{y + BoxHeight / 2.0 + 4}\" text-anchor=\"middle\">{Escape(item.Label)}</text></g>"));
        }

        svg.Append("</svg>");
        return svg.ToString();
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private static string Escape(string text) => text.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;");
}
