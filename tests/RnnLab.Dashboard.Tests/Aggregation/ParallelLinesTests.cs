using Plotly.Blazor.Traces;
using RnnLab.Dashboard.Aggregation;
using RnnLab.Dashboard.Components.Charts;

namespace RnnLab.Dashboard.Tests.Aggregation;

public sealed class ParallelLinesTests
{
    // Three trials, best first (minimizing), over a categorical, a numeric and a constant axis, then the objective.
    private static readonly ParallelCoordinatesData Data = new(
        [
            new ParameterColumn("cell", false, ["gru", "lstm", "rnn-tanh"], [2, 0, 1]),
            new ParameterColumn("lr", true, null, [-3, -1, double.NaN]),
            new ParameterColumn("layers", false, null, [2, 2, 2]),
        ],
        new ParameterColumn("valid.loss", false, null, [0.1, 0.5, 0.9]),
        Shown: 3,
        Total: 3);

    private static Scatter[] Lines(IEnumerable<Plotly.Blazor.ITrace> traces) =>
        traces.Cast<Scatter>().Where(t => t.Mode == Plotly.Blazor.Traces.ScatterLib.ModeFlag.Lines).ToArray();

    [Fact]
    public void Every_trial_is_one_line_across_every_axis_with_a_gap_where_its_value_is_missing()
    {
        var lines = Lines(ParallelLines.Traces(Data, maximize: false));

        // Each trial contributes its four axes and a null that ends its line; the third trial's missing lr is one more gap.
        var points = lines.SelectMany(t => t.X.Zip(t.Y, (x, y) => (x, y))).ToArray();
        Assert.Equal(15, points.Length);
        Assert.Equal(4, points.Count(p => p.x is null && p.y is null));
        // The third trial has no lr: its point on axis 1 is a gap; the others reach axis 1.
        Assert.Equal(2, points.Count(p => p.x is int and 1 && p.y is double));
        Assert.Equal(3, points.Count(p => p.x is int and 3));
    }

    [Fact]
    public void Axes_are_scaled_over_their_range_categories_by_index_and_a_constant_axis_in_the_middle()
    {
        Assert.Equal([1.0, 0.0, 0.5], ParallelLines.Scale(Data.Axes[0]));
        var lr = ParallelLines.Scale(Data.Axes[1]);
        Assert.Equal(0.0, lr[0]);
        Assert.Equal(1.0, lr[1]);
        Assert.True(double.IsNaN(lr[2]));
        Assert.Equal([0.5, 0.5, 0.5], ParallelLines.Scale(Data.Axes[2]));
        Assert.Equal([0.0, 0.5, 1.0], ParallelLines.Scale(Data.Objective));
    }

    [Theory]
    [InlineData(false, 0.1, 7)]
    [InlineData(false, 0.9, 0)]
    [InlineData(true, 0.9, 7)]
    [InlineData(true, 0.1, 0)]
    [InlineData(false, 0.5, 4)]
    public void The_best_objective_gets_the_last_colour_whichever_the_direction(bool maximize, double value, int bin) =>
        Assert.Equal(bin, ParallelLines.Bin(value, 0.1, 0.9, maximize));

    [Fact]
    public void The_best_trial_is_drawn_in_yellow_and_after_the_worse_ones()
    {
        var lines = Lines(ParallelLines.Traces(Data, maximize: false));

        Assert.Equal("#fde725", lines[^1].Line.Color);
        Assert.Equal(0.0, lines[^1].Y[3]); // the lowest loss, at the foot of the objective axis
        Assert.Equal("#440154", lines[0].Line.Color);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_colour_bar_spans_the_objective_with_the_best_end_yellow(bool maximize)
    {
        var bar = ParallelLines.Traces(Data, maximize).Cast<Scatter>().Single(t => t.Marker?.ShowScale == true);

        Assert.Equal("Viridis", bar.Marker.ColorScale);
        Assert.Equal(!maximize, bar.Marker.ReverseScale);
        Assert.Equal(0.1m, bar.Marker.CMin);
        Assert.Equal(0.9m, bar.Marker.CMax);
    }

    [Fact]
    public void The_layout_draws_each_axis_with_its_name_and_range()
    {
        var layout = ParallelLines.LayoutFor(Data);

        Assert.Equal(4, layout.Shapes.Count);
        Assert.Equal(["cell", "log10(lr)", "layers", "valid.loss"], layout.XAxis[0].TickText.Cast<string>());
        var notes = layout.Annotations.Select(a => a.Text).ToArray();
        Assert.Equal(["gru", "lstm", "rnn-tanh", "-3", "-1", "2", "0.1", "0.9"], notes);
    }

    [Fact]
    public void No_completed_trial_draws_nothing() => Assert.Empty(ParallelLines.Traces(null, maximize: false));
}
