namespace RnnLab.Sweeps.Analysis.Fanova;

/// <summary>
/// fANOVA over a random forest: for each tree, the fraction of its variance explained by each feature (main
/// effect) and by each pair beyond their main effects; reported as the mean and standard deviation over trees
/// with non-zero variance. Marginal curves average the trees' marginals.
/// </summary>
public sealed class FunctionalAnova
{
    private readonly TreePartition[] _partitions;
    private readonly Dictionary<int, double[]> _mainVariances = [];

    public FunctionalAnova(RandomForest forest)
    {
        Features = forest.Features;
        _partitions = forest.Trees.Select(tree => new TreePartition(tree, forest.Features)).ToArray();
        if (_partitions.All(partition => partition.Variance <= 0))
        {
            throw new InvalidOperationException("every tree is constant: the metric does not vary over these trials");
        }
    }

    public IReadOnlyList<FeatureSpec> Features { get; }

    public static FunctionalAnova Fit(IReadOnlyList<double[]> x, IReadOnlyList<double> y, IReadOnlyList<FeatureSpec> features,
        ForestOptions? options = null) => new(RandomForest.Fit(x, y, features, options));

    /// <summary>Fraction of variance due to feature <paramref name="f"/> alone.</summary>
    public Importance MainEffect(int f) => Summarise(MainVariances(f));

    /// <summary>Fraction of variance due to the interaction of two features, beyond both main effects.</summary>
    public Importance PairEffect(int f, int g)
    {
        var mainF = MainVariances(f);
        var mainG = MainVariances(g);
        var pure = new double[_partitions.Length];
        for (var t = 0; t < _partitions.Length; t++)
        {
            pure[t] = _partitions[t].Variance > 0
                ? Math.Max(0, _partitions[t].MarginalVariance(f, g) - mainF[t] - mainG[t])
                : 0;
        }

        return Summarise(pure);
    }

    /// <summary>The forest's mean prediction with feature <paramref name="f"/> set to <paramref name="x"/> and all others integrated out.</summary>
    public Importance MarginalAt(int f, double x)
    {
        var values = new double[_partitions.Length];
        for (var t = 0; t < _partitions.Length; t++)
        {
            var partition = _partitions[t];
            values[t] = partition.Mean + partition.Marginal(f)[partition.CellOf(f, x)];
        }

        return new Importance(values.Average(), StandardDeviation(values));
    }

    /// <summary>Marginals of one feature at many points, computing each tree's marginal once.</summary>
    public IReadOnlyList<Importance> MarginalCurve(int f, IReadOnlyList<double> xs)
    {
        var perTree = _partitions.Select(partition => (partition, marginal: partition.Marginal(f))).ToArray();
        return xs.Select(x =>
        {
            var values = perTree.Select(tree => tree.partition.Mean + tree.marginal[tree.partition.CellOf(f, x)]).ToArray();
            return new Importance(values.Average(), StandardDeviation(values));
        }).ToArray();
    }

    private double[] MainVariances(int f)
    {
        if (!_mainVariances.TryGetValue(f, out var variances))
        {
            variances = _partitions.Select(partition => partition.Variance > 0 ? partition.MarginalVariance(f) : 0).ToArray();
            _mainVariances[f] = variances;
        }

        return variances;
    }

    private Importance Summarise(double[] variances)
    {
        var fractions = new List<double>();
        for (var t = 0; t < _partitions.Length; t++)
        {
            if (_partitions[t].Variance > 0)
            {
                fractions.Add(variances[t] / _partitions[t].Variance);
            }
        }

        return new Importance(fractions.Average(), StandardDeviation(fractions));
    }

    private static double StandardDeviation(IReadOnlyCollection<double> values)
    {
        var mean = values.Average();
        return Math.Sqrt(values.Sum(value => (value - mean) * (value - mean)) / values.Count);
    }
}

/// <summary>A mean over the forest's trees and its standard deviation.</summary>
public readonly record struct Importance(double Mean, double StandardDeviation);
