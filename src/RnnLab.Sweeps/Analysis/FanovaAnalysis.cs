using RnnLab.Sweeps.Analysis.Fanova;
using RnnLab.Sweeps.Parameters;
using RnnLab.Sweeps.Space;
using RnnLab.Sweeps.Spec;
using RnnLab.Sweeps.Trials;

namespace RnnLab.Sweeps.Analysis;

/// <summary>
/// Explains a sweep's metric by its hyperparameters with fANOVA (Hutter, Hoos and Leyton-Brown 2014): a random
/// forest regresses the metric on the configuration, then each tree's exact functional-ANOVA decomposition gives
/// the fraction of variance due to each parameter and each pair. Only trials in which every analysed parameter is
/// active are used (analyse conditional parameters per stratum).
/// </summary>
public static class FanovaAnalysis
{
    public static readonly AnalysisOptions DefaultTrials = new(IncludePruned: false, Diverged: DivergedPolicy.WorstObserved);

    public static FanovaReport Analyze(IEnumerable<TrialSnapshot> trials, SearchSpace space, MetricSpec metric,
        FanovaOptions? options = null)
    {
        options ??= new FanovaOptions();
        var parameters = (options.Parameters ?? DefaultParameters(space)).Select(name => space.Contains(name)
            ? space[name]
            : throw new ArgumentException($"'{name}' is not a parameter of the search space")).ToList();
        if (parameters.Count == 0)
        {
            throw new InvalidOperationException("no searched parameter varies: nothing to analyse");
        }

        var features = parameters.Select(parameter => Feature(parameter, options.LogScale)).ToList();
        var rows = new List<double[]>();
        var targets = new List<double>();
        foreach (var (trial, value) in TrialSelection.Select(trials, metric, options.Trials ?? DefaultTrials))
        {
            if (Encode(trial.Parameters, parameters, options.LogScale) is { } row)
            {
                rows.Add(row);
                targets.Add(value);
            }
        }

        if (rows.Count < 2)
        {
            throw new InvalidOperationException($"fANOVA needs at least two trials with all of {string.Join(", ", parameters.Select(p => p.Name))}; found {rows.Count}");
        }

        var anova = FunctionalAnova.Fit(rows, targets, features, options.Forest);
        var main = parameters
            .Select((parameter, f) => (parameter, importance: anova.MainEffect(f)))
            .Select(x => new ParameterImportance(x.parameter.Name, x.importance.Mean, x.importance.StandardDeviation))
            .OrderByDescending(x => x.Fraction)
            .ToList();
        var pairs = new List<PairImportance>();
        for (var f = 0; options.Pairs && f < parameters.Count; f++)
        {
            for (var g = f + 1; g < parameters.Count; g++)
            {
                var importance = anova.PairEffect(f, g);
                pairs.Add(new PairImportance(parameters[f].Name, parameters[g].Name, importance.Mean, importance.StandardDeviation));
            }
        }

        var curves = options.CurvePoints <= 0
            ? []
            : parameters.Select((parameter, f) => Curve(anova, f, parameter, features[f], options)).ToList();
        return new FanovaReport(rows.Count, main, pairs.OrderByDescending(pair => pair.Fraction).ToList(), curves);
    }

    /// <summary>
    /// Every searched, varying, unconditional parameter: a conditional one (say forget_bias only for lstm) would restrict
    /// the analysis to the few trials where it is active; name it in <see cref="FanovaOptions.Parameters"/> to analyse it.
    /// </summary>
    private static IEnumerable<string> DefaultParameters(SearchSpace space) => space.Searched
        .Where(parameter => Varies(parameter.Domain) && parameter.Condition is null)
        .Select(parameter => parameter.Name);

    private static bool Varies(ParameterDomain domain) => domain switch
    {
        CategoricalDomain categorical => categorical.Choices.Count > 1,
        NumericDomain numeric => numeric.High > numeric.Low,
        _ => false,
    };

    /// <summary>Log-like domains (log-uniform, one-minus-log-uniform) are analysed in the scale they were sampled in.</summary>
    private static bool InLogScale(NumericDomain domain, bool logScale) => logScale && domain.Log;

    private static FeatureSpec Feature(SearchParameter parameter, bool logScale) => parameter.Domain switch
    {
        var domain when !Varies(domain) => throw new ArgumentException($"{parameter.Name} takes a single value: it explains no variance"),
        NumericDomain numeric when InLogScale(numeric, logScale) => new FeatureSpec(parameter.Name, numeric.ScaleLow, numeric.ScaleHigh),
        NumericDomain numeric => new FeatureSpec(parameter.Name, numeric.Low, numeric.High),
        CategoricalDomain { Choices.Count: > 64 } => throw new ArgumentException($"{parameter.Name}: fANOVA handles at most 64 categories"),
        CategoricalDomain categorical => new FeatureSpec(parameter.Name, 0, categorical.Choices.Count - 1, categorical.Choices.Count),
        _ => throw new ArgumentException($"{parameter.Name}: {parameter.Domain.GetType().Name} is not supported"),
    };

    private static double[]? Encode(ParameterSet configuration, IReadOnlyList<SearchParameter> parameters, bool logScale)
    {
        var row = new double[parameters.Count];
        for (var f = 0; f < parameters.Count; f++)
        {
            if (!configuration.TryGetValue(parameters[f].Name, out var value))
            {
                return null;
            }

            switch (parameters[f].Domain)
            {
                case NumericDomain numeric when numeric.Contains(value):
                    row[f] = InLogScale(numeric, logScale) ? numeric.ToScale(value.AsDouble()) : value.AsDouble();
                    break;
                case CategoricalDomain categorical when categorical.IndexOf(value) is var index and >= 0:
                    row[f] = index;
                    break;
                default:
                    // A value outside the current space (the spec changed since the trial ran): not comparable.
                    return null;
            }
        }

        return row;
    }

    private static MarginalCurve Curve(FunctionalAnova anova, int f, SearchParameter parameter, FeatureSpec feature, FanovaOptions options)
    {
        var points = new List<(ParameterValue Value, double X)>();
        switch (parameter.Domain)
        {
            case CategoricalDomain categorical:
                points.AddRange(categorical.Choices.Select((choice, i) => (choice, (double)i)));
                break;
            case NumericDomain numeric:
                var count = Math.Max(2, options.CurvePoints);
                var log = InLogScale(numeric, options.LogScale);
                for (var i = 0; i < count; i++)
                {
                    var x = feature.Low + (feature.High - feature.Low) * i / (count - 1);
                    var value = numeric.FromInternal(log ? x : numeric.ToScale(x));
                    if (points.Count == 0 || !points[^1].Value.Equals(value))
                    {
                        points.Add((value, log ? x : value.AsDouble()));
                    }
                }

                // A one-minus-log scale runs against the value: plot curves in increasing value all the same.
                points.Sort((a, b) => a.Value.AsDouble().CompareTo(b.Value.AsDouble()));

                break;
        }

        var marginals = anova.MarginalCurve(f, points.Select(point => point.X).ToList());
        return new MarginalCurve(parameter.Name,
            points.Select((point, i) => new MarginalPoint(point.Value, marginals[i].Mean, marginals[i].StandardDeviation)).ToList());
    }
}
