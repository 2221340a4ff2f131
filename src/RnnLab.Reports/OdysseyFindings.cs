using System.Globalization;
using RnnLab.Sweeps.Analysis;

namespace RnnLab.Reports;

/// <summary>
/// The claims of Greff et al. (LSTM: A Search Space Odyssey) a sweep of LSTM variants can be checked against, each
/// stated next to what the sweep shows. Claims about variants the sweep did not run are left out.
/// </summary>
public static class OdysseyFindings
{
    /// <summary>On JSB Chorales (the paper's Figure 3): NFG and NOAF are significantly worse than vanilla; these are not.</summary>
    private static readonly string[] JsbWorse = ["lstm-nfg", "lstm-noaf"];
    private static readonly string[] JsbNoDifference = ["lstm-nig", "lstm-nog", "lstm-niaf", "lstm-np", "lstm-cifg"];

    /// <summary>Interactions count as small when all pairs together explain less than half as much as the main effects.</summary>
    public const double SmallInteractionRatio = 0.5;

    public static IReadOnlyList<Finding> For(SweepReport report)
    {
        var findings = new List<Finding>();
        var comparison = report.Figure3;
        var baseline = report.Input.Baseline;
        var tests = comparison.AllTrials.ToDictionary(c => c.Stratum.ToString(), StringComparer.Ordinal);
        var isJsb = report.Input.Spec.Task.Name.Contains("jsb", StringComparison.OrdinalIgnoreCase);
        // The claims are about LSTM variants: a sweep without any (e.g. LSTM against GRU) is not checked against them.
        if (tests.Count == 0 || !report.Figure3.Strata.Any(s => s.Stratum.ToString() == baseline) ||
            !tests.Keys.Any(cell => cell.StartsWith("lstm-", StringComparison.Ordinal)))
        {
            return findings;
        }

        if (isJsb)
        {
            foreach (var cell in JsbWorse.Where(tests.ContainsKey))
            {
                var test = tests[cell];
                findings.Add(new Finding($"{cell} vs {baseline} on JSB", "significantly worse (p < 0.05)", Describe(test, comparison),
                    test.Test is null ? Verdict.Undetermined : test.SignificantlyWorse(comparison.Metric) ? Verdict.Agrees : Verdict.Disagrees));
            }

            foreach (var cell in JsbNoDifference.Where(tests.ContainsKey))
            {
                var test = tests[cell];
                findings.Add(new Finding($"{cell} vs {baseline} on JSB", "no significant difference", Describe(test, comparison),
                    test.Test is null ? Verdict.Undetermined : test.Test.Significant ? Verdict.Disagrees : Verdict.Agrees));
            }
        }

        var better = comparison.AllTrials.Where(c => c.SignificantlyBetter(comparison.Metric)).Select(c => c.Stratum.ToString()).ToList();
        findings.Add(new Finding($"no variant beats {baseline}", $"none is significantly better than vanilla LSTM on any dataset",
            better.Count == 0 ? "none is significantly better" : "significantly better: " + string.Join(", ", better),
            better.Count == 0 ? Verdict.Agrees : Verdict.Disagrees));

        if (report.Analysis.Fanova is { } fanova)
        {
            var hyper = fanova.MainEffects.Where(m => m.Parameter != SweepReportBuilder.DefaultStratum).ToList();
            if (hyper.Count > 0 && hyper.Any(m => m.Parameter == "lr"))
            {
                var top = hyper[0];
                findings.Add(new Finding("the most important hyperparameter", "the learning rate, by far",
                    $"{top.Parameter} ({Percent(top.Fraction)} of the variance; " +
                    string.Join(", ", hyper.Skip(1).Select(m => $"{m.Parameter} {Percent(m.Fraction)}")) + ")",
                    top.Parameter == "lr" ? Verdict.Agrees : Verdict.Disagrees));
            }

            var mains = fanova.MainEffects.Sum(m => m.Fraction);
            var pairs = fanova.Pairs.Sum(p => p.Fraction);
            if (fanova.Pairs.Count > 0)
            {
                var largest = fanova.Pairs[0];
                findings.Add(new Finding("hyperparameter interactions", "small: the hyperparameters are nearly independent",
                    $"all pairs {Percent(pairs)} vs main effects {Percent(mains)}; largest pair {largest.First} × {largest.Second} {Percent(largest.Fraction)}",
                    pairs < SmallInteractionRatio * mains ? Verdict.Agrees : Verdict.Disagrees));
            }
        }

        return findings;
    }

    private static string Describe(StratumComparison comparison, MetricComparison metric) => comparison.Test is not { } test
        ? $"not testable ({comparison.Count} vs {comparison.ReferenceCount} trials)"
        : string.Create(CultureInfo.InvariantCulture,
            $"mean {metric.Metric.Name} {(test.MeanDifference >= 0 ? "+" : "")}{test.MeanDifference:0.###}, p = {Format.P(test.PValue)} " +
            $"({(test.Significant ? test.MeanDifference * (metric.Metric.Direction == Sweeps.Spec.MetricDirection.Minimize ? 1 : -1) > 0 ? "significantly worse" : "significantly better" : "no significant difference")}; " +
            $"{comparison.Count} vs {comparison.ReferenceCount} trials)");

    private static string Percent(double fraction) => Format.Percent(fraction);
}
