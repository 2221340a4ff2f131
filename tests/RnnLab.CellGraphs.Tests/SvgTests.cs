using System.Xml.Linq;

namespace RnnLab.CellGraphs.Tests;

public sealed class SvgTests
{
    [Theory]
    [MemberData(nameof(CanonicalFormTests.Builtins), MemberType = typeof(CanonicalFormTests))]
    public void The_picture_has_a_box_per_node_input_and_state_and_an_arrow_per_edge(string name)
    {
        var g = BuiltinCellGraphs.Get(name);
        var svg = XDocument.Parse(CellGraphSvg.Render(g));
        XNamespace ns = "http://www.w3.org/2000/svg";
        Assert.Equal(g.Nodes.Count + 1 + 2 * g.States.Count, svg.Descendants(ns + "rect").Count());
        Assert.Equal(g.Nodes.Sum(n => n.Inputs.Count) + g.States.Count, svg.Descendants(ns + "line").Count());
        var labels = svg.Descendants(ns + "text").Select(t => t.Value).ToList();
        Assert.Contains("h'", labels);
        Assert.All(g.Nodes, n => Assert.Contains($"{CellGraphSvg.Symbol(n.Op)} {n.Name}", labels));
    }

    [Fact]
    public void An_arrow_runs_from_left_to_right()
    {
        XNamespace ns = "http://www.w3.org/2000/svg";
        var svg = XDocument.Parse(CellGraphSvg.Render(BuiltinCellGraphs.Get("gru")));
        Assert.All(svg.Descendants(ns + "line"), l => Assert.True(double.Parse(l.Attribute("x2")!.Value, System.Globalization.CultureInfo.InvariantCulture) >
                                                                   double.Parse(l.Attribute("x1")!.Value, System.Globalization.CultureInfo.InvariantCulture)));
    }
}
