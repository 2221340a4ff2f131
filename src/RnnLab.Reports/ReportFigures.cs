using RnnLab.Sweeps.Analysis;
using RnnLab.Sweeps.Space;
using ScottPlot;

namespace RnnLab.Reports;

/// <summary>The report's figures: the Odyssey's Figure 3 (boxes per variant), Figure 4 (importance) and Figure 5 (marginals).</summary>
public static class ReportFigures
{
    private static readonly Color Baseline = Color.FromHex("#6b8fb8");
    private static readonly Color Worse = Color.FromHex("#d9534f");
    private static readonly Color Better = Color.FromHex("#4cae4c");
    private static readonly Color NotSignificant = Color.FromHex("#c8d3e0");

    public static IReadOnlyList<ReportFigure> For(SweepReport report)
    {
        var figures = new List<ReportFigure>();
        var comparison = report.Figure3;
        if (comparison.Strata.Count > 0)
        {
            figures.Add(Boxes(report, comparison, best: false));
            figures.Add(Boxes(report, comparison, best: true));
        }

        if (report.Analysis.Fanova is { } fanova)
        {
            figures.Add(Importance(fanova));
            if (fanova.Pairs.Count > 0)
            {
                figures.Add(Pairs(fanova));
            }

            figures.AddRange(fanova.Curves.Select(curve => Marginal(report, curve)));
        }

        return figures;
    }

    private static Plot NewPlot()
    {
        var plot = new Plot();
        plot.Font.Set("DejaVu Sans");
        plot.Axes.Bottom.MinimumSize = 70;
        return plot;
    }

    /// <summary>The strata in Figure 3's order: the baseline first, then the others by name.</summary>
    public static IReadOnlyList<StratumReport> Ordered(MetricComparison comparison, string baseline) => comparison.Strata
        .OrderBy(s => s.Stratum.ToString() == baseline ? 0 : 1)
        .ThenBy(s => s.Stratum.ToString(), StringComparer.Ordinal)
        .ToList();

    private static ReportFigure Boxes(SweepReport report, MetricComparison comparison, bool best)
    {
        var baseline = report.Input.Baseline;
        var strata = Ordered(comparison, baseline);
        var tests = (best ? comparison.BestTrials : comparison.AllTrials).ToDictionary(c => c.Stratum.ToString(), StringComparer.Ordinal);
        var plot = NewPlot();
        var labels = new string[strata.Count];
        for (var i = 0; i < strata.Count; i++)
        {
            var name = strata[i].Stratum.ToString();
            var summary = best ? strata[i].Best : strata[i].All;
            var color = NotSignificant;
            var label = name;
            if (name == baseline)
            {
                color = Baseline;
            }
            else if (tests.TryGetValue(name, out var test) && test.Test is { Significant: true })
            {
                color = test.SignificantlyWorse(comparison.Metric) ? Worse : Better;
                label += " *";
            }

            labels[i] = label;
            var box = plot.Add.Box(new Box
            {
                Position = i,
                BoxMin = summary.LowerQuartile,
                BoxMax = summary.UpperQuartile,
                BoxMiddle = summary.Median,
                WhiskerMin = Math.Min(summary.Best, summary.Worst),
                WhiskerMax = Math.Max(summary.Best, summary.Worst),
            });
            box.FillColor = color;
        }

        plot.Axes.Bottom.SetTicks(Enumerable.Range(0, strata.Count).Select(i => (double)i).ToArray(), labels);
        plot.Axes.Bottom.TickLabelStyle.Rotation = -30;
        plot.Axes.Bottom.TickLabelStyle.Alignment = Alignment.MiddleRight;
        plot.YLabel(comparison.Metric.Name);
        var share = Format.Percent(report.Input.BestFraction).Replace(".0 ", " ", StringComparison.Ordinal);
        plot.Title(best ? $"Best {share} of each variant" : "All trials of each variant");
        return new ReportFigure(
            best ? "figure3-best" : "figure3-all",
            $"{comparison.Metric.Name} per {SweepReportBuilder.DefaultStratum}, {(best ? $"best {share} of the trials" : "all completed trials")}: " +
            $"box = quartiles, line = median, whiskers = best and worst. * and red/green: Welch's t-test against {baseline} " +
            $"{(best ? $"(best {share} of each side) " : "")}significant at p < {WelchTest.DefaultAlpha} (red worse, green better).",
            plot);
    }

    private static ReportFigure Importance(FanovaReport fanova)
    {
        var plot = NewPlot();
        var bars = fanova.MainEffects.Select((m, i) => new Bar { Position = i, Value = m.Fraction, Error = m.StandardDeviation, FillColor = Baseline }).ToList();
        plot.Add.Bars(bars);
        plot.Axes.Bottom.SetTicks(Enumerable.Range(0, bars.Count).Select(i => (double)i).ToArray(), fanova.MainEffects.Select(m => m.Parameter).ToArray());
        plot.Axes.Margins(bottom: 0);
        plot.YLabel("fraction of variance");
        plot.Title("fANOVA main effects (± std over trees)");
        return new ReportFigure("figure4-importance",
            $"Fraction of the metric's variance explained by each hyperparameter alone (fANOVA over {fanova.TrialCount} trials); error bars: standard deviation across the forest's trees.",
            plot);
    }

    private static ReportFigure Pairs(FanovaReport fanova)
    {
        var top = fanova.Pairs.Take(8).ToList();
        var plot = NewPlot();
        plot.Add.Bars(top.Select((p, i) => new Bar { Position = i, Value = p.Fraction, Error = p.StandardDeviation, FillColor = NotSignificant }).ToList());
        plot.Axes.Bottom.SetTicks(Enumerable.Range(0, top.Count).Select(i => (double)i).ToArray(), top.Select(p => $"{p.First} × {p.Second}").ToArray());
        plot.Axes.Bottom.TickLabelStyle.Rotation = -30;
        plot.Axes.Bottom.TickLabelStyle.Alignment = Alignment.MiddleRight;
        plot.Axes.Margins(bottom: 0);
        plot.YLabel("fraction of variance");
        plot.Title("Largest pairwise interactions (± std over trees)");
        return new ReportFigure("figure4-interactions",
            "The pairs of hyperparameters whose interaction (beyond their main effects) explains the most variance.", plot);
    }

    private static ReportFigure Marginal(SweepReport report, MarginalCurve curve)
    {
        var plot = NewPlot();
        var space = report.Input.Spec.Space;
        var domain = space.Contains(curve.Parameter) ? space[curve.Parameter].Domain : null;
        var mean = curve.Points.Select(p => p.Mean).ToArray();
        var std = curve.Points.Select(p => p.StandardDeviation).ToArray();
        string xLabel;
        if (domain is NumericDomain numeric)
        {
            var (label, transform) = Axis(curve.Parameter, numeric);
            xLabel = label;
            var xs = curve.Points.Select(p => transform(p.Value.AsDouble())).ToArray();
            var band = plot.Add.FillY(xs, mean.Zip(std, (m, s) => m - s).ToArray(), mean.Zip(std, (m, s) => m + s).ToArray());
            band.FillColor = NotSignificant.WithAlpha(0.6);
            band.LineColor = Colors.Transparent;
            var line = plot.Add.ScatterLine(xs, mean);
            line.Color = Baseline;
            line.LineWidth = 2;
        }
        else
        {
            xLabel = curve.Parameter;
            plot.Add.Bars(curve.Points.Select((p, i) => new Bar { Position = i, Value = p.Mean, Error = p.StandardDeviation, FillColor = NotSignificant }).ToList());
            plot.Axes.Bottom.SetTicks(Enumerable.Range(0, curve.Points.Count).Select(i => (double)i).ToArray(), curve.Points.Select(p => p.Value.ToString()).ToArray());
            plot.Axes.Bottom.TickLabelStyle.Rotation = -30;
            plot.Axes.Bottom.TickLabelStyle.Alignment = Alignment.MiddleRight;
        }

        plot.XLabel(xLabel);
        plot.YLabel($"predicted {report.Input.Spec.Metric.Name}");
        plot.Title($"Marginal of {curve.Parameter} (± 1 std over trees)");
        return new ReportFigure($"figure5-marginal-{curve.Parameter.Replace('_', '-')}",
            $"Predicted {report.Input.Spec.Metric.Name} as {curve.Parameter} varies with every other hyperparameter averaged out (fANOVA marginal); band: ± 1 standard deviation across trees.",
            plot);
    }

    /// <summary>Log-scale domains are drawn against log10 of the value (log10(1 − value) for one-minus-log ones).</summary>
    private static (string Label, Func<double, double> Transform) Axis(string name, NumericDomain domain) => domain switch
    {
        OneMinusLogDomain => ($"log10(1 − {name})", v => Math.Log10(1 - v)),
        { Log: true } => ($"log10({name})", Math.Log10),
        _ => (name, v => v),
    };
}
