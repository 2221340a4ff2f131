using RnnLab.CellGraphs;
using RnnLab.Dashboard.Aggregation;

namespace RnnLab.Dashboard.Tests.Aggregation;

public sealed class TrialCellGraphTests
{
    [Fact]
    public void A_trial_with_a_cell_graph_is_drawn_as_a_picture_and_equations()
    {
        var mut2 = BuiltinCellGraphs.Get("mut2");
        var drawing = TrialCellGraph.From(Trials.Completed(1, "mut2", 0.1, ("cell_graph", mut2.ToYaml()), ("lr", 0.01)))!;
        Assert.Null(drawing.Problem);
        Assert.Equal("mut2", drawing.Name);
        Assert.StartsWith("<svg", drawing.Svg);
        Assert.Contains("⊙ rhp", drawing.Svg);
        Assert.Equal(mut2.Equations(), drawing.Equations);
    }

    [Fact]
    public void A_trial_of_a_named_cell_has_no_drawing_and_a_broken_graph_says_why()
    {
        Assert.Null(TrialCellGraph.From(Trials.Completed(1, "lstm", 0.1, ("lr", 0.01))));
        var broken = TrialCellGraph.From(Trials.Completed(2, "g-1", 0.1, ("cell_graph", "name: g-1\nnodes: {}\noutputs: {h: a}\n")))!;
        Assert.Contains("outputs.h", broken.Problem);
        Assert.Empty(broken.Svg);
    }
}
