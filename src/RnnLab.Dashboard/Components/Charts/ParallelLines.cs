using Plotly.Blazor;
using Plotly.Blazor.LayoutLib;
using Plotly.Blazor.Traces;
using RnnLab.Dashboard.Aggregation;
using ScatterLine = Plotly.Blazor.Traces.ScatterLib.Line;
using ScatterMarker = Plotly.Blazor.Traces.ScatterLib.Marker;

namespace RnnLab.Dashboard.Components.Charts;

/// <summary>
/// Parallel coordinates drawn as SVG lines: each axis scaled to [0, 1] over its range, one line per trial, coloured by
/// the objective in <see cref="Bins"/> steps of Viridis (best in yellow, drawn on top). Unlike plotly's WebGL
/// parcoords, whose shaders alone take more than a second to compile without a GPU, it draws in milliseconds
/// anywhere; the page offers parcoords for filtering by axis on demand.
/// </summary>
internal static class ParallelLines
{
    /// <summary>Viridis at eight even steps, dark (worst) to yellow (best).</summary>
    private static readonly string[] Viridis = ["#440154", "#46327e", "#365c8d", "#277f8e", "#1fa187", "#4ac16d", "#a0da39", "#fde725"];

    public static int Bins => Viridis.Length;

    /// <summary>One line trace per colour step with a line (NaN-free stretch) per trial, and a colour bar of the objective.</summary>
    public static IReadOnlyList<ITrace> Traces(ParallelCoordinatesData? data, bool maximize)
    {
        if (data is null)
        {
            return [];
        }

        var columns = data.Axes.Append(data.Objective).ToArray();
        var scaled = columns.Select(Scale).ToArray();
        var objective = data.Objective.Values;
        var (low, high) = Range(objective);
        var bins = Enumerable.Range(0, Bins).Select(_ => (X: new List<object?>(), Y: new List<object?>())).ToArray();
        // The data's trials come best first; drawn worst first, so within a colour the better lines lie on top.
        for (var trial = objective.Count - 1; trial >= 0; trial--)
        {
            var bin = Bin(objective[trial], low, high, maximize);
            for (var axis = 0; axis < columns.Length; axis++)
            {
                var y = scaled[axis][trial];
                bins[bin].X.Add(double.IsFinite(y) ? axis : null);
                bins[bin].Y.Add(double.IsFinite(y) ? y : null);
            }

            bins[bin].X.Add(null);
            bins[bin].Y.Add(null);
        }

        var traces = new List<ITrace>();
        for (var bin = 0; bin < Bins; bin++)
        {
            if (bins[bin].X.Count == 0)
            {
                continue;
            }

            traces.Add(new Scatter
            {
                Name = $"objective step {bin + 1} of {Bins}",
                X = bins[bin].X,
                Y = bins[bin].Y,
                Mode = Plotly.Blazor.Traces.ScatterLib.ModeFlag.Lines,
                Line = new ScatterLine { Color = Viridis[bin], Width = 1 },
                Opacity = 0.7m,
                ConnectGaps = false,
                HoverInfo = Plotly.Blazor.Traces.ScatterLib.HoverInfoFlag.Skip,
                ShowLegend = false,
            });
        }

        // No points of its own: it only shows which objective each colour stands for.
        traces.Add(new Scatter
        {
            Name = data.Objective.Label,
            X = [null],
            Y = [null],
            Mode = Plotly.Blazor.Traces.ScatterLib.ModeFlag.Markers,
            Marker = new ScatterMarker
            {
                ColorScale = "Viridis",
                ReverseScale = !maximize,
                CMin = (decimal?)ToDecimal(low),
                CMax = (decimal?)ToDecimal(high),
                ColorArray = [low, high],
                ShowScale = true,
            },
            HoverInfo = Plotly.Blazor.Traces.ScatterLib.HoverInfoFlag.Skip,
            ShowLegend = false,
        });
        return traces;
    }

    /// <summary>The axes as vertical lines with their names above and their ranges (or categories) beside them.</summary>
    public static Plotly.Blazor.Layout LayoutFor(ParallelCoordinatesData? data)
    {
        var columns = data is null ? [] : data.Axes.Append(data.Objective).ToArray();
        var shapes = new List<Shape>();
        var notes = new List<Annotation>();
        for (var axis = 0; axis < columns.Length; axis++)
        {
            shapes.Add(new Shape
            {
                Type = Plotly.Blazor.LayoutLib.ShapeLib.TypeEnum.Line,
                X0 = axis, X1 = axis, Y0 = 0, Y1 = 1,
                Line = new Plotly.Blazor.LayoutLib.ShapeLib.Line { Color = "#444444", Width = 1 },
            });
            foreach (var (y, text) in Ticks(columns[axis]))
            {
                notes.Add(new Annotation
                {
                    X = axis, Y = y, Text = text, ShowArrow = false,
                    XAnchor = Plotly.Blazor.LayoutLib.AnnotationLib.XAnchorEnum.Left, XShift = 3,
                    BgColor = "rgba(255,255,255,0.8)", // readable over the lines
                    Font = new Plotly.Blazor.LayoutLib.AnnotationLib.Font { Size = 10, Color = "#4a5161" },
                });
            }
        }

        return new Plotly.Blazor.Layout
        {
            Height = 380,
            ShowLegend = false,
            Margin = new Margin { T = 40, B = 20, L = 40, R = 60 },
            XAxis =
            [
                new XAxis
                {
                    Side = Plotly.Blazor.LayoutLib.XAxisLib.SideEnum.Top,
                    TickVals = Enumerable.Range(0, columns.Length).Cast<object>().ToList(),
                    TickText = columns.Select(c => (object)c.Label).ToList(),
                    Range = [-0.2, Math.Max(columns.Length - 1, 1) + 0.6],
                    ShowGrid = false,
                    ZeroLine = false,
                    FixedRange = true,
                },
            ],
            YAxis = [new YAxis { Visible = false, Range = [-0.06, 1.06], FixedRange = true }],
            Shapes = shapes,
            Annotations = notes,
        };
    }

    /// <summary>Each value at its height on the axis: a category by its index, a number over the range of the finite values.</summary>
    internal static double[] Scale(ParameterColumn column)
    {
        if (column.Categories is { } categories)
        {
            return column.Values.Select(v => categories.Count > 1 ? v / (categories.Count - 1) : 0.5).ToArray();
        }

        var (low, high) = Range(column.Values);
        return column.Values.Select(v => !double.IsFinite(v) ? double.NaN : high > low ? (v - low) / (high - low) : 0.5).ToArray();
    }

    /// <summary>The colour step of an objective value: the best values get the last (yellow) step.</summary>
    internal static int Bin(double value, double low, double high, bool maximize)
    {
        if (!double.IsFinite(value) || !(high > low))
        {
            return double.IsFinite(value) ? Bins - 1 : 0;
        }

        var goodness = (value - low) / (high - low);
        goodness = maximize ? goodness : 1 - goodness;
        return Math.Clamp((int)(goodness * Bins), 0, Bins - 1);
    }

    private static IEnumerable<(double Y, string Text)> Ticks(ParameterColumn column)
    {
        if (column.Categories is { } categories)
        {
            return categories.Select((name, i) => (categories.Count > 1 ? i / (double)(categories.Count - 1) : 0.5, name));
        }

        var (low, high) = Range(column.Values);
        if (!double.IsFinite(low))
        {
            return [];
        }

        return high > low ? [(0.0, Format.Number(low)), (1.0, Format.Number(high))] : [(0.5, Format.Number(low))];
    }

    private static (double Low, double High) Range(IReadOnlyList<double> values)
    {
        var finite = values.Where(double.IsFinite).ToArray();
        return finite.Length == 0 ? (double.NaN, double.NaN) : (finite.Min(), finite.Max());
    }

    private static decimal? ToDecimal(double value) =>
        double.IsFinite(value) && Math.Abs(value) < 7.9e27 ? (decimal)value : null;
}
