using Plotly.Blazor;
using Plotly.Blazor.Traces;
using RnnLab.Dashboard.Aggregation;
using RnnLab.Dashboard.Live;
using ScatterLine = Plotly.Blazor.Traces.ScatterLib.Line;

namespace RnnLab.Dashboard.Components.Charts;

/// <summary>Turns the server-side aggregates into plotly traces: only these few numbers go to the browser.</summary>
public static class ChartTraces
{
    /// <summary>One line per drawn trial (validation objective against epoch), coloured and grouped by cell.</summary>
    public static IReadOnlyList<ITrace> LearningCurves(SweepView view, int maxCurves, int maxPoints)
    {
        ArgumentNullException.ThrowIfNull(view);
        var byNumber = view.Trials.ToDictionary(t => t.Number);
        var candidates = view.Curves
            .Where(c => c.Value.Count > 0)
            .Select(c => byNumber.TryGetValue(c.Key, out var t)
                ? new CurveCandidate(t.Number, t.Cell, t.State, t.Objective)
                : new CurveCandidate(c.Key, "", Contracts.V1.TrialState.Running, null));
        var chosen = CurveSelection.Choose(candidates, view.Sweep.Maximize, maxCurves, perCell: 10);
        var drawn = chosen.Select(number => new DrawnCurve(
            number,
            byNumber.TryGetValue(number, out var trial) ? trial.Cell : "",
            CurveDecimation.Decimate(view.Curves[number], maxPoints)));
        return LearningCurves(drawn.ToArray(), view.Trials.Select(t => t.Cell));
    }

    /// <summary>One line per curve, coloured and grouped by cell; <paramref name="cells"/> fixes each cell's colour.</summary>
    public static IReadOnlyList<ITrace> LearningCurves(IReadOnlyList<DrawnCurve> curves, IEnumerable<string> cells)
    {
        ArgumentNullException.ThrowIfNull(curves);
        var palette = new Palette(cells);
        var legendShown = new HashSet<string>(StringComparer.Ordinal);
        var traces = new List<ITrace>(curves.Count);
        foreach (var curve in curves.OrderBy(c => c.Cell).ThenBy(c => c.Number))
        {
            traces.Add(new Scatter
            {
                Name = curve.Cell,
                LegendGroup = curve.Cell,
                ShowLegend = legendShown.Add(curve.Cell),
                Mode = Plotly.Blazor.Traces.ScatterLib.ModeFlag.Lines,
                X = curve.Points.Select(p => (object)p.X).ToList(),
                Y = curve.Points.Select(p => (object)p.Y).ToList(),
                Line = new ScatterLine { Color = palette.Of(curve.Cell), Width = 1.2m },
                Opacity = 0.7m,
                HoverTemplate = $"trial #{curve.Number} ({curve.Cell})<br>epoch %{{x}}: %{{y}}<extra></extra>",
            });
        }

        return traces;
    }

    /// <summary>Two precomputed box series per cell: all completed trials and the best share.</summary>
    public static IReadOnlyList<ITrace> CellBoxes(IReadOnlyList<CellSummary> cells)
    {
        ArgumentNullException.ThrowIfNull(cells);
        if (cells.Count == 0)
        {
            return [];
        }

        Box Series(string name, string colour, Func<CellSummary, BoxStatistics> pick) => new()
        {
            Name = name,
            X = cells.Select(c => (object)c.Cell).ToList(),
            Q1 = cells.Select(c => (object)pick(c).Q1).ToList(),
            Median = cells.Select(c => (object)pick(c).Median).ToList(),
            Q3 = cells.Select(c => (object)pick(c).Q3).ToList(),
            LowerFence = cells.Select(c => (object)pick(c).LowerFence).ToList(),
            UpperFence = cells.Select(c => (object)pick(c).UpperFence).ToList(),
            Mean = cells.Select(c => (object)pick(c).Mean).ToList(),
            Marker = new Plotly.Blazor.Traces.BoxLib.Marker { Color = colour },
        };

        return [Series("all trials", "#1f77b4", c => c.All), Series("best 10 %", "#ff7f0e", c => c.Best)];
    }

    /// <summary>One parallel-coordinates trace: hyperparameter axes, then the objective, lines coloured by it.</summary>
    public static IReadOnlyList<ITrace> Parallel(ParallelCoordinatesData? data, bool maximize)
    {
        if (data is null)
        {
            return [];
        }

        var dimensions = data.Axes.Append(data.Objective).Select(axis =>
        {
            var dimension = new Plotly.Blazor.Traces.ParCoordsLib.Dimension
            {
                Label = axis.Label,
                Values = axis.Values.Select(v => (object)(double.IsFinite(v) ? v : double.NaN)).ToList(),
            };
            if (axis.Categories is { } categories)
            {
                dimension.TickVals = Enumerable.Range(0, categories.Count).Select(i => (object)i).ToList();
                dimension.TickText = categories.Cast<object>().ToList();
            }

            return dimension;
        }).ToList();
        return
        [
            new ParCoords
            {
                Dimensions = dimensions,
                Line = new Plotly.Blazor.Traces.ParCoordsLib.Line
                {
                    ColorArray = data.Objective.Values.Select(v => (object)v).ToList(),
                    ColorScale = "Viridis",
                    ReverseScale = !maximize,
                    ShowScale = true,
                },
            },
        ];
    }

    /// <summary>fANOVA main effects as bars with their spread over the forest's trees.</summary>
    public static IReadOnlyList<ITrace> Importance(ImportanceResult? result)
    {
        if (result is null || result.Bars.Count == 0)
        {
            return [];
        }

        return
        [
            new Bar
            {
                Name = "importance",
                X = result.Bars.Select(b => (object)b.Parameter).ToList(),
                Y = result.Bars.Select(b => (object)b.Fraction).ToList(),
                ErrorY = new Plotly.Blazor.Traces.BarLib.ErrorY
                {
                    Array = result.Bars.Select(b => (object)b.StandardDeviation).ToList(),
                    Visible = true,
                },
            },
        ];
    }

    /// <summary>The marginal of the most important parameter: a band of ±1 standard deviation and the mean.</summary>
    public static IReadOnlyList<ITrace> Marginal(MarginalCurve? curve)
    {
        if (curve is null)
        {
            return [];
        }

        var x = curve.Categories is { } categories
            ? categories.Cast<object>().ToList()
            : curve.X.Select(v => (object)v).ToList();
        var lower = curve.Mean.Zip(curve.StandardDeviation, (m, s) => (object)(m - s)).ToList();
        var upper = curve.Mean.Zip(curve.StandardDeviation, (m, s) => (object)(m + s)).ToList();
        return
        [
            new Scatter { Name = "− 1 sd", X = x, Y = lower, Mode = Plotly.Blazor.Traces.ScatterLib.ModeFlag.Lines, Line = new ScatterLine { Width = 0 }, ShowLegend = false, HoverInfo = Plotly.Blazor.Traces.ScatterLib.HoverInfoFlag.Skip },
            new Scatter { Name = "± 1 sd", X = x, Y = upper, Mode = Plotly.Blazor.Traces.ScatterLib.ModeFlag.Lines, Line = new ScatterLine { Width = 0 }, Fill = Plotly.Blazor.Traces.ScatterLib.FillEnum.ToNextY, FillColor = "rgba(31,119,180,0.2)" },
            new Scatter { Name = "predicted objective", X = x, Y = curve.Mean.Select(v => (object)v).ToList(), Mode = Plotly.Blazor.Traces.ScatterLib.ModeFlag.Lines | Plotly.Blazor.Traces.ScatterLib.ModeFlag.Markers, Line = new ScatterLine { Color = "#1f77b4", Width = 2 } },
        ];
    }
}
