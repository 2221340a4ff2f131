using System.Numerics;

namespace RnnLab.Sweeps.Analysis.Fanova;

/// <summary>
/// The exact functional-ANOVA view of one regression tree under the uniform measure on the configuration box
/// (Hutter, Hoos and Leyton-Brown 2014). The tree's split values cut each numeric axis into cells (each category
/// is a cell); every leaf is a box covering a run of cells per axis. A marginal is the sum of the leaves' values
/// weighted by their volume in the integrated-out axes: one-feature marginals accumulate in difference arrays;
/// two-feature marginals in a 2-D difference grid while that is small, otherwise from a sweep over one axis with a
/// segment tree over the other (O(leaves · log cells) instead of cells²). Leaf values are centred on the tree mean, so variances
/// are weighted sums of squares.
/// </summary>
internal sealed class TreePartition
{
    private readonly IReadOnlyList<FeatureSpec> _features;
    private readonly int _p;
    private readonly double[][] _edges;
    private readonly double[][] _cellWeights;
    private readonly List<double> _values = [];
    private readonly List<double> _fractions = [];
    private readonly List<int> _first = [];
    private readonly List<int> _last = [];
    private readonly List<ulong> _masks = [];
    private double[] _centred = [];

    public TreePartition(RegressionTree tree, IReadOnlyList<FeatureSpec> features)
    {
        _features = features;
        _p = features.Count;
        _edges = new double[_p][];
        _cellWeights = new double[_p][];
        var thresholds = Enumerable.Range(0, _p).Select(_ => new List<double>()).ToArray();
        for (var node = 0; node < tree.NodeCount; node++)
        {
            if (tree.Feature[node] is var f and >= 0 && !features[f].IsCategorical)
            {
                thresholds[f].Add(Math.Clamp(tree.Threshold[node], features[f].Low, features[f].High));
            }
        }

        for (var f = 0; f < _p; f++)
        {
            var feature = features[f];
            if (feature.IsCategorical)
            {
                _cellWeights[f] = Enumerable.Repeat(1.0 / feature.Categories, feature.Categories).ToArray();
                continue;
            }

            thresholds[f].Add(feature.Low);
            thresholds[f].Add(feature.High);
            thresholds[f].Sort();
            var edges = new List<double>(thresholds[f].Count);
            foreach (var edge in thresholds[f])
            {
                if (edges.Count == 0 || edge > edges[^1])
                {
                    edges.Add(edge);
                }
            }

            _edges[f] = [.. edges];
            var width = feature.High - feature.Low;
            _cellWeights[f] = new double[_edges[f].Length - 1];
            for (var c = 0; c < _cellWeights[f].Length; c++)
            {
                _cellWeights[f][c] = (_edges[f][c + 1] - _edges[f][c]) / width;
            }
        }

        var first = new int[_p];
        var last = features.Select((feature, f) => feature.IsCategorical ? 0 : _edges[f].Length - 1).ToArray();
        var masks = features.Select(feature => feature.IsCategorical ? AllCategories(feature.Categories) : 0UL).ToArray();
        Collect(tree, 0, first, last, masks);

        var leaves = _values.Count;
        var volumes = new double[leaves];
        var mean = 0.0;
        for (var l = 0; l < leaves; l++)
        {
            volumes[l] = VolumeWithout(l, -1, -1);
            mean += volumes[l] * _values[l];
        }

        Mean = mean;
        _centred = new double[leaves];
        var variance = 0.0;
        for (var l = 0; l < leaves; l++)
        {
            _centred[l] = _values[l] - mean;
            variance += volumes[l] * _centred[l] * _centred[l];
        }

        Variance = variance;
    }

    /// <summary>The tree's mean over the box.</summary>
    public double Mean { get; }

    /// <summary>The tree's total variance over the box.</summary>
    public double Variance { get; }

    public int CellCount(int feature) => _cellWeights[feature].Length;

    /// <summary>The centred marginal of one feature, per cell: E[tree | x_f in cell] − mean.</summary>
    public double[] Marginal(int f)
    {
        var cells = CellCount(f);
        var marginal = new double[cells + 1];
        var categorical = _features[f].IsCategorical;
        for (var l = 0; l < _centred.Length; l++)
        {
            var weight = _centred[l] * VolumeWithout(l, f, -1);
            if (weight == 0)
            {
                continue;
            }

            if (categorical)
            {
                var mask = _masks[l * _p + f];
                while (mask != 0)
                {
                    marginal[BitOperations.TrailingZeroCount(mask)] += weight;
                    mask &= mask - 1;
                }
            }
            else
            {
                marginal[_first[l * _p + f]] += weight;
                marginal[_last[l * _p + f]] -= weight;
            }
        }

        if (!categorical)
        {
            for (var c = 1; c < cells; c++)
            {
                marginal[c] += marginal[c - 1];
            }
        }

        Array.Resize(ref marginal, cells);
        return marginal;
    }

    /// <summary>Variance of the one-feature marginal: the main effect.</summary>
    public double MarginalVariance(int f)
    {
        var marginal = Marginal(f);
        var weights = _cellWeights[f];
        var sum = 0.0;
        for (var c = 0; c < marginal.Length; c++)
        {
            sum += weights[c] * marginal[c] * marginal[c];
        }

        return sum;
    }

    /// <summary>Variance of the two-feature marginal (main effects of both included).</summary>
    public double MarginalVariance(int f, int g)
    {
        // Both methods are exact; a dense grid is cheaper while the grid is small next to leaves · log(cells).
        var gridCells = (long)CellCount(f) * CellCount(g);
        var sweepCost = 4L * _centred.Length * (BitOperations.Log2((uint)CellCount(g)) + 1) * 4;
        return gridCells <= sweepCost ? GridMarginalVariance(f, g) : SweepMarginalVariance(f, g);
    }

    internal double GridMarginalVariance(int f, int g)
    {
        var rows = CellCount(f);
        var columns = CellCount(g);
        var stride = columns + 1;
        var grid = new double[(rows + 1) * stride];
        for (var l = 0; l < _centred.Length; l++)
        {
            var weight = _centred[l] * VolumeWithout(l, f, g);
            if (weight == 0)
            {
                continue;
            }

            foreach (var (r0, r1) in Runs(l, f))
            {
                foreach (var (c0, c1) in Runs(l, g))
                {
                    grid[r0 * stride + c0] += weight;
                    grid[r0 * stride + c1] -= weight;
                    grid[r1 * stride + c0] -= weight;
                    grid[r1 * stride + c1] += weight;
                }
            }
        }

        // 2-D prefix sums turn the corner updates into the marginal; accumulate the weighted square on the way.
        var rowWeights = _cellWeights[f];
        var columnWeights = _cellWeights[g];
        var sum = 0.0;
        for (var r = 0; r < rows; r++)
        {
            var rowSum = 0.0;
            for (var c = 0; c < columns; c++)
            {
                rowSum += grid[r * stride + c];
                var value = rowSum + (r > 0 ? grid[(r - 1) * stride + c] : 0);
                grid[r * stride + c] = value;
                sum += rowWeights[r] * columnWeights[c] * value * value;
            }
        }

        return sum;
    }

    internal double SweepMarginalVariance(int f, int g)
    {
        // Sweep the rows of f; each leaf enters the segment tree over g's cells at its first row and leaves at its last.
        var rows = CellCount(f);
        var starts = new List<(int Row, int Start, int End, double Weight)>();
        for (var l = 0; l < _centred.Length; l++)
        {
            var weight = _centred[l] * VolumeWithout(l, f, g);
            if (weight == 0)
            {
                continue;
            }

            foreach (var (r0, r1) in Runs(l, f))
            {
                foreach (var (c0, c1) in Runs(l, g))
                {
                    starts.Add((r0, c0, c1, weight));
                    if (r1 < rows)
                    {
                        starts.Add((r1, c0, c1, -weight));
                    }
                }
            }
        }

        var byRow = new int[rows + 1];
        foreach (var e in starts)
        {
            byRow[e.Row + 1]++;
        }

        for (var r = 0; r < rows; r++)
        {
            byRow[r + 1] += byRow[r];
        }

        var events = new (int Start, int End, double Weight)[starts.Count];
        var next = (int[])byRow.Clone();
        foreach (var e in starts)
        {
            events[next[e.Row]++] = (e.Start, e.End, e.Weight);
        }

        var tree = new WeightedSquareSumTree(_cellWeights[g]);
        var rowWeights = _cellWeights[f];
        var sum = 0.0;
        for (var r = 0; r < rows; r++)
        {
            for (var i = byRow[r]; i < byRow[r + 1]; i++)
            {
                tree.Add(events[i].Start, events[i].End, events[i].Weight);
            }

            sum += rowWeights[r] * Math.Max(0, tree.SumOfSquares);
        }

        return sum;
    }

    /// <summary>The cell of a numeric feature that holds <paramref name="x"/> (categorical: the category itself).</summary>
    public int CellOf(int f, double x)
    {
        if (_features[f].IsCategorical)
        {
            return (int)x;
        }

        var edges = _edges[f];
        var index = Array.BinarySearch(edges, x);
        var cell = index >= 0 ? index : ~index - 1;
        return Math.Clamp(cell, 0, edges.Length - 2);
    }

    private double VolumeWithout(int leaf, int f, int g)
    {
        var volume = 1.0;
        var offset = leaf * _p;
        for (var e = 0; e < _p; e++)
        {
            if (e != f && e != g)
            {
                volume *= _fractions[offset + e];
            }
        }

        return volume;
    }

    private IEnumerable<(int Start, int End)> Runs(int leaf, int f)
    {
        if (!_features[f].IsCategorical)
        {
            yield return (_first[leaf * _p + f], _last[leaf * _p + f]);
            yield break;
        }

        var mask = _masks[leaf * _p + f];
        while (mask != 0)
        {
            var start = BitOperations.TrailingZeroCount(mask);
            var end = start + BitOperations.TrailingZeroCount(~(mask >> start));
            yield return (start, end);
            mask &= end >= 64 ? 0 : ~0UL << end;
        }
    }

    /// <summary>Walks the tree keeping each leaf's box as a run of cells per numeric axis and a category set per categorical one.</summary>
    private void Collect(RegressionTree tree, int node, int[] first, int[] last, ulong[] masks)
    {
        var f = tree.Feature[node];
        if (f < 0)
        {
            AddLeaf(tree.Value[node], first, last, masks);
            return;
        }

        if (_features[f].IsCategorical)
        {
            var saved = masks[f];
            masks[f] = saved & tree.Categories[node];
            Collect(tree, tree.Left[node], first, last, masks);
            masks[f] = saved & ~tree.Categories[node];
            Collect(tree, tree.Right[node], first, last, masks);
            masks[f] = saved;
            return;
        }

        // Every clamped threshold is an edge, so the search finds it exactly.
        var edges = _edges[f];
        var threshold = Math.Clamp(tree.Threshold[node], edges[first[f]], edges[last[f]]);
        var cut = Array.BinarySearch(edges, first[f], last[f] - first[f] + 1, threshold);
        var savedLast = last[f];
        last[f] = cut;
        Collect(tree, tree.Left[node], first, last, masks);
        last[f] = savedLast;
        var savedFirst = first[f];
        first[f] = cut;
        Collect(tree, tree.Right[node], first, last, masks);
        first[f] = savedFirst;
    }

    private void AddLeaf(double value, int[] first, int[] last, ulong[] masks)
    {
        _values.Add(value);
        for (var f = 0; f < _p; f++)
        {
            var feature = _features[f];
            _masks.Add(masks[f]);
            _first.Add(first[f]);
            _last.Add(last[f]);
            _fractions.Add(feature.IsCategorical
                ? (double)BitOperations.PopCount(masks[f]) / feature.Categories
                : (_edges[f][last[f]] - _edges[f][first[f]]) / (feature.High - feature.Low));
        }
    }

    private static ulong AllCategories(int count) => count >= 64 ? ulong.MaxValue : (1UL << count) - 1;
}
