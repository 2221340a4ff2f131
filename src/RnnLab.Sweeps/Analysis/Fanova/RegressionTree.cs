namespace RnnLab.Sweeps.Analysis.Fanova;

/// <summary>
/// A CART regression tree (squared error), as the fANOVA forest needs it: numeric splits "x ≤ threshold" at
/// midpoints between neighbouring values, categorical splits "x ∈ subset" found by ordering categories by mean
/// (optimal for squared error, Breiman et al. 1984). Stored as flat arrays; leaves have Feature = -1.
/// </summary>
public sealed class RegressionTree
{
    internal RegressionTree(int[] feature, double[] threshold, ulong[] categories, int[] left, int[] right, double[] value)
    {
        Feature = feature;
        Threshold = threshold;
        Categories = categories;
        Left = left;
        Right = right;
        Value = value;
    }

    /// <summary>Split feature per node, or -1 at a leaf.</summary>
    public int[] Feature { get; }

    public double[] Threshold { get; }

    /// <summary>For a categorical split: the categories (bit c = category c) that go left.</summary>
    public ulong[] Categories { get; }

    public int[] Left { get; }

    public int[] Right { get; }

    /// <summary>Mean target of the training samples in each node.</summary>
    public double[] Value { get; }

    public int NodeCount => Feature.Length;

    public double Predict(ReadOnlySpan<double> x, IReadOnlyList<FeatureSpec> features)
    {
        var node = 0;
        while (Feature[node] >= 0)
        {
            var f = Feature[node];
            var goesLeft = features[f].IsCategorical
                ? (Categories[node] & (1UL << (int)x[f])) != 0
                : x[f] <= Threshold[node];
            node = goesLeft ? Left[node] : Right[node];
        }

        return Value[node];
    }
}

/// <summary>One input column of the forest: numeric within [Low, High], or categorical with Categories values 0…k−1.</summary>
public sealed record FeatureSpec(string Name, double Low, double High, int Categories = 0)
{
    public bool IsCategorical => Categories > 0;
}
