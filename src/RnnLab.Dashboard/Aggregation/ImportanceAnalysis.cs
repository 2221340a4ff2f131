using RnnLab.Sweeps.Analysis;
using RnnLab.Sweeps.Space;
using RnnLab.Sweeps.Spec;

namespace RnnLab.Dashboard.Aggregation;

/// <summary>A hyperparameter's share of the objective's variance (fANOVA main effect), mean and spread over trees.</summary>
public sealed record ImportanceBar(string Parameter, double Fraction, double StandardDeviation);

/// <summary>
/// Predicted objective against one hyperparameter with the others integrated out (Greff et al.'s Figure 4); X in the
/// parameter's own units, or category labels for a categorical one.
/// </summary>
public sealed record MarginalCurve(string Parameter, bool LogScale, IReadOnlyList<double> X, IReadOnlyList<string>? Categories,
    IReadOnlyList<double> Mean, IReadOnlyList<double> StandardDeviation);

/// <summary>fANOVA importances, largest first, and the marginal curve of the most important one; or why there are none.
/// Note also says when the numbers are an approximation (a sample of a huge sweep).</summary>
public sealed record ImportanceResult(IReadOnlyList<ImportanceBar> Bars, MarginalCurve? Marginal, string? Note);

/// <summary>
/// fANOVA for the importance chart: RnnLab.Sweeps.Analysis's FanovaAnalysis with the options SweepAnalysis uses, so the
/// bars are AnalyzeSweep's numbers. Only a sweep with more than <c>maxTrials</c> finished trials is analysed on an even
/// sample of them, and the note says so.
/// </summary>
public static class ImportanceAnalysis
{
    public const int MinimumTrials = 8;

    public static ImportanceResult Compute(IEnumerable<TrialSummary> trials, SweepSpec? spec, int maxTrials = 2000)
    {
        ArgumentNullException.ThrowIfNull(trials);
        if (spec is null)
        {
            return new ImportanceResult([], null, "the sweep's spec does not parse here: no fANOVA");
        }

        var finished = trials.Where(t => t.IsFinished).OrderBy(t => t.Number).ToArray();
        var done = finished.Count(t => t.HasResult);
        if (done < MinimumTrials)
        {
            return new ImportanceResult([], null, $"fANOVA needs at least {MinimumTrials} completed trials; {done} so far");
        }

        string? note = null;
        if (finished.Length > maxTrials)
        {
            note = $"Approximate: fANOVA on an even sample of {maxTrials} of {finished.Length} finished trials " +
                   "(rnnlab analyze and the report use all of them).";
            finished = Enumerable.Range(0, maxTrials).Select(i => finished[(int)((long)i * finished.Length / maxTrials)]).ToArray();
        }

        var report = FanovaAnalysis.Analyze(TrialSnapshots.From(finished, spec.Space), spec.Space, spec.Metric);
        var bars = report.MainEffects.Select(m => new ImportanceBar(m.Parameter, m.Fraction, m.StandardDeviation)).ToArray();
        var top = report.Curves.FirstOrDefault(c => c.Parameter == bars[0].Parameter);
        return new ImportanceResult(bars, top is null ? null : Marginal(top, spec.Space[top.Parameter].Domain), note);
    }

    private static MarginalCurve Marginal(Sweeps.Analysis.MarginalCurve curve, ParameterDomain domain)
    {
        var categorical = domain is CategoricalDomain;
        return new MarginalCurve(
            curve.Parameter,
            domain is NumericDomain { Log: true } and not OneMinusLogDomain,
            categorical ? curve.Points.Select((_, i) => (double)i).ToArray() : curve.Points.Select(p => p.Value.AsDouble()).ToArray(),
            categorical ? curve.Points.Select(p => p.Value.ToString()).ToArray() : null,
            curve.Points.Select(p => p.Mean).ToArray(),
            curve.Points.Select(p => p.StandardDeviation).ToArray());
    }
}
