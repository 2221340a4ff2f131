namespace RnnLab.Sweeps.Analysis.Fanova;

/// <summary>
/// A bagged forest of regression trees with Optuna's fANOVA defaults (64 trees, depth ≤ 64, every feature
/// considered at every split), seeded so the same data give the same forest.
/// </summary>
public sealed class RandomForest
{
    private RandomForest(IReadOnlyList<RegressionTree> trees, IReadOnlyList<FeatureSpec> features)
    {
        Trees = trees;
        Features = features;
    }

    public IReadOnlyList<RegressionTree> Trees { get; }

    public IReadOnlyList<FeatureSpec> Features { get; }

    /// <param name="x">Row-major inputs: x[sample][feature]; categorical features hold the category index.</param>
    public static RandomForest Fit(IReadOnlyList<double[]> x, IReadOnlyList<double> y, IReadOnlyList<FeatureSpec> features,
        ForestOptions? options = null)
    {
        options ??= new ForestOptions();
        var n = x.Count;
        if (n < 2 || y.Count != n)
        {
            throw new ArgumentException($"a forest needs at least two samples with one target each (got {n} rows, {y.Count} targets)");
        }

        var columns = new double[features.Count][];
        for (var f = 0; f < features.Count; f++)
        {
            columns[f] = new double[n];
            for (var i = 0; i < n; i++)
            {
                columns[f][i] = x[i][f];
            }
        }

        var targets = y.ToArray();
        var sortedRows = new int[features.Count][];
        for (var f = 0; f < features.Count; f++)
        {
            sortedRows[f] = Enumerable.Range(0, n).ToArray();
            Array.Sort((double[])columns[f].Clone(), sortedRows[f]);
        }

        var trees = new RegressionTree[options.Trees];
        var counts = new int[n];
        for (var t = 0; t < options.Trees; t++)
        {
            var random = new Sampling.SeededRandom(options.Seed, t);
            Array.Fill(counts, options.Bootstrap ? 0 : 1);
            for (var i = 0; options.Bootstrap && i < n; i++)
            {
                counts[random.NextInt(n)]++;
            }

            trees[t] = TreeBuilder.Grow(columns, targets, features, sortedRows, counts, options.MaxDepth, options.MinSamplesSplit,
                options.MinSamplesLeaf);
        }

        return new RandomForest(trees, features);
    }

    public double Predict(ReadOnlySpan<double> x)
    {
        var sum = 0.0;
        foreach (var tree in Trees)
        {
            sum += tree.Predict(x, Features);
        }

        return sum / Trees.Count;
    }
}

/// <summary>Forest settings; the defaults are those of Optuna's FanovaImportanceEvaluator.</summary>
public sealed record ForestOptions(
    int Trees = 64,
    int MaxDepth = 64,
    int MinSamplesSplit = 2,
    int MinSamplesLeaf = 1,
    bool Bootstrap = true,
    long Seed = 0);
