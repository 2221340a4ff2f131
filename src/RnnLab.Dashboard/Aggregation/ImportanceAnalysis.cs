using RnnLab.Sweeps.Analysis.Fanova;

namespace RnnLab.Dashboard.Aggregation;

/// <summary>A hyperparameter's share of the objective's variance (fANOVA main effect), mean and spread over trees.</summary>
public sealed record ImportanceBar(string Parameter, double Fraction, double StandardDeviation);

/// <summary>
/// Predicted objective against one hyperparameter with the others integrated out (Greff et al.'s Figure 4); X in the
/// parameter's own units, or category labels for a categorical one.
/// </summary>
public sealed record MarginalCurve(string Parameter, bool LogScale, IReadOnlyList<double> X, IReadOnlyList<string>? Categories,
    IReadOnlyList<double> Mean, IReadOnlyList<double> StandardDeviation);

/// <summary>fANOVA importances, largest first, and the marginal curve of the most important one; or why there are none.</summary>
public sealed record ImportanceResult(IReadOnlyList<ImportanceBar> Bars, MarginalCurve? Marginal, string? Note);

/// <summary>Fits fANOVA (a random forest over the completed trials) for importance bars and the top parameter's marginal.</summary>
public static class ImportanceAnalysis
{
    public const int MinimumTrials = 8;

    /// <param name="maxTrials">Larger sweeps are thinned evenly by trial number, which keeps the sampler's coverage.</param>
    public static ImportanceResult Compute(IEnumerable<TrialSummary> trials, int maxTrials = 2000, int trees = 32, int marginalPoints = 40)
    {
        ArgumentNullException.ThrowIfNull(trials);
        var done = trials.Where(t => t.HasResult).OrderBy(t => t.Number).ToArray();
        if (done.Length < MinimumTrials)
        {
            return new ImportanceResult([], null, $"fANOVA needs at least {MinimumTrials} completed trials; {done.Length} so far");
        }

        if (done.Length > maxTrials)
        {
            done = Enumerable.Range(0, maxTrials).Select(i => done[(int)((long)i * done.Length / maxTrials)]).ToArray();
        }

        // Conditional parameters (absent for some trials) cannot be split on, so they are left out.
        var columns = ParameterColumn.From(done).Where(c => c.Values.All(double.IsFinite)).ToArray();
        var y = done.Select(t => t.Objective!.Value).ToArray();
        if (columns.Length == 0 || y.Min() == y.Max())
        {
            return new ImportanceResult([], null, "no hyperparameter or no objective varies over the completed trials");
        }

        var features = columns.Select(c => c.IsCategorical
            ? new FeatureSpec(c.Name, 0, c.Categories!.Count - 1, c.Categories.Count)
            : new FeatureSpec(c.Name, c.Values.Min(), c.Values.Max())).ToArray();
        var x = Enumerable.Range(0, done.Length).Select(i => columns.Select(c => c.Values[i]).ToArray()).ToArray();
        var fanova = FunctionalAnova.Fit(x, y, features, new ForestOptions(Trees: trees, Seed: 0));

        var bars = features.Select((f, i) => (index: i, effect: fanova.MainEffect(i)))
            .OrderByDescending(e => e.effect.Mean)
            .ToArray();
        var top = bars[0].index;
        var column = columns[top];
        var xs = column.IsCategorical
            ? Enumerable.Range(0, column.Categories!.Count).Select(i => (double)i).ToArray()
            : Enumerable.Range(0, marginalPoints).Select(i => features[top].Low + (features[top].High - features[top].Low) * i / (marginalPoints - 1)).ToArray();
        var curve = fanova.MarginalCurve(top, xs);
        var marginal = new MarginalCurve(
            column.Name,
            column.LogScale,
            column.LogScale ? xs.Select(v => Math.Pow(10, v)).ToArray() : xs,
            column.Categories,
            curve.Select(c => c.Mean).ToArray(),
            curve.Select(c => c.StandardDeviation).ToArray());
        return new ImportanceResult(
            bars.Select(b => new ImportanceBar(columns[b.index].Name, b.effect.Mean, b.effect.StandardDeviation)).ToArray(),
            marginal,
            null);
    }
}
