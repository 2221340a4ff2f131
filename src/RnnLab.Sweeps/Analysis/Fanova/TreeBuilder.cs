namespace RnnLab.Sweeps.Analysis.Fanova;

/// <summary>
/// Grows one <see cref="RegressionTree"/> on a bootstrap sample. Each numeric column is sorted once at the root and
/// partitioned stably at every split, so growing costs O(features · samples · depth) rather than a sort per node.
/// </summary>
internal sealed class TreeBuilder
{
    private readonly double[][] _columns;
    private readonly double[] _y;
    private readonly IReadOnlyList<FeatureSpec> _features;
    private readonly int _maxDepth;
    private readonly int _minSamplesSplit;
    private readonly int _minSamplesLeaf;
    private readonly int[][] _order;
    private readonly int[] _buffer;
    private readonly bool[] _goesLeft;
    private readonly List<int> _feature = [];
    private readonly List<double> _threshold = [];
    private readonly List<ulong> _categories = [];
    private readonly List<int> _left = [];
    private readonly List<int> _right = [];
    private readonly List<double> _value = [];

    private TreeBuilder(double[][] columns, double[] y, IReadOnlyList<FeatureSpec> features, int[][] sortedRows, int[] counts,
        int maxDepth, int minSamplesSplit, int minSamplesLeaf)
    {
        _columns = columns;
        _y = y;
        _features = features;
        _maxDepth = maxDepth;
        _minSamplesSplit = minSamplesSplit;
        _minSamplesLeaf = minSamplesLeaf;
        var total = counts.Sum();
        _order = new int[features.Count][];
        for (var f = 0; f < features.Count; f++)
        {
            // Expanding the globally sorted rows by their bootstrap counts keeps them sorted: no sort per tree.
            var order = new int[total];
            var k = 0;
            foreach (var row in sortedRows[f])
            {
                for (var c = 0; c < counts[row]; c++)
                {
                    order[k++] = row;
                }
            }

            _order[f] = order;
        }

        _buffer = new int[total];
        _goesLeft = new bool[y.Length];
    }

    /// <summary>
    /// Grows a tree on a sample given as a count per row (bootstrap multiplicity); <paramref name="sortedRows"/>
    /// holds, per feature, every row index ordered by that feature's value.
    /// </summary>
    public static RegressionTree Grow(double[][] columns, double[] y, IReadOnlyList<FeatureSpec> features, int[][] sortedRows,
        int[] counts, int maxDepth, int minSamplesSplit, int minSamplesLeaf)
    {
        var builder = new TreeBuilder(columns, y, features, sortedRows, counts, maxDepth, minSamplesSplit, minSamplesLeaf);
        builder.Build(0, builder._buffer.Length, 0);
        return new RegressionTree([.. builder._feature], [.. builder._threshold], [.. builder._categories],
            [.. builder._left], [.. builder._right], [.. builder._value]);
    }

    private int Build(int start, int end, int depth)
    {
        var node = _feature.Count;
        _feature.Add(-1);
        _threshold.Add(0);
        _categories.Add(0);
        _left.Add(-1);
        _right.Add(-1);

        var rows = _order[0];
        double sum = 0, sumSquares = 0;
        for (var i = start; i < end; i++)
        {
            var target = _y[rows[i]];
            sum += target;
            sumSquares += target * target;
        }

        var count = end - start;
        _value.Add(sum / count);
        var impurity = sumSquares - sum * sum / count;
        if (depth >= _maxDepth || count < _minSamplesSplit || count < 2 * _minSamplesLeaf ||
            impurity <= 1e-12 * Math.Max(1.0, sumSquares))
        {
            return node;
        }

        var best = FindSplit(start, end, sum);
        if (best.Feature < 0)
        {
            return node;
        }

        var leftCount = Partition(start, end, best);
        _feature[node] = best.Feature;
        _threshold[node] = best.Threshold;
        _categories[node] = best.Categories;
        _left[node] = Build(start, start + leftCount, depth + 1);
        _right[node] = Build(start + leftCount, end, depth + 1);
        return node;
    }

    private Split FindSplit(int start, int end, double sum)
    {
        var count = end - start;
        var best = new Split(-1, 0, 0, sum * sum / count * (1 + 1e-12) + 1e-12);
        for (var f = 0; f < _features.Count; f++)
        {
            var candidate = _features[f].IsCategorical
                ? BestCategoricalSplit(f, start, end, sum)
                : BestNumericSplit(f, start, end, sum);
            if (candidate.Score > best.Score)
            {
                best = candidate;
            }
        }

        return best;
    }

    private Split BestNumericSplit(int f, int start, int end, double sum)
    {
        var order = _order[f];
        var column = _columns[f];
        var count = end - start;
        var best = new Split(-1, 0, 0, double.NegativeInfinity);
        double leftSum = 0;
        for (var i = start; i < end - 1; i++)
        {
            leftSum += _y[order[i]];
            var leftCount = i - start + 1;
            var here = column[order[i]];
            var next = column[order[i + 1]];
            if (next <= here || leftCount < _minSamplesLeaf || count - leftCount < _minSamplesLeaf)
            {
                continue;
            }

            var rightSum = sum - leftSum;
            var score = leftSum * leftSum / leftCount + rightSum * rightSum / (count - leftCount);
            if (score > best.Score)
            {
                var threshold = here + (next - here) / 2;

                // Midpoints of adjacent doubles can round up to the right value; keep the split strict.
                best = new Split(f, threshold >= next ? here : threshold, 0, score);
            }
        }

        return best;
    }

    private Split BestCategoricalSplit(int f, int start, int end, double sum)
    {
        var k = _features[f].Categories;
        var sums = new double[k];
        var counts = new int[k];
        var column = _columns[f];
        var rows = _order[f];
        for (var i = start; i < end; i++)
        {
            var c = (int)column[rows[i]];
            sums[c] += _y[rows[i]];
            counts[c]++;
        }

        var present = Enumerable.Range(0, k).Where(c => counts[c] > 0)
            .OrderBy(c => sums[c] / counts[c]).ThenBy(c => c).ToArray();
        var count = end - start;
        var best = new Split(-1, 0, 0, double.NegativeInfinity);
        double leftSum = 0;
        var leftCount = 0;
        ulong mask = 0;
        for (var i = 0; i < present.Length - 1; i++)
        {
            var c = present[i];
            leftSum += sums[c];
            leftCount += counts[c];
            mask |= 1UL << c;
            if (leftCount < _minSamplesLeaf || count - leftCount < _minSamplesLeaf)
            {
                continue;
            }

            var rightSum = sum - leftSum;
            var score = leftSum * leftSum / leftCount + rightSum * rightSum / (count - leftCount);
            if (score > best.Score)
            {
                best = new Split(f, 0, mask, score);
            }
        }

        return best;
    }

    /// <summary>Moves the left child's rows before the right child's in every column order, keeping each sorted.</summary>
    private int Partition(int start, int end, Split split)
    {
        var column = _columns[split.Feature];
        var categorical = _features[split.Feature].IsCategorical;
        var leftCount = 0;
        var rows = _order[0];
        for (var i = start; i < end; i++)
        {
            var row = rows[i];
            var left = categorical
                ? (split.Categories & (1UL << (int)column[row])) != 0
                : column[row] <= split.Threshold;
            _goesLeft[row] = left;
            leftCount += left ? 1 : 0;
        }

        foreach (var order in _order)
        {
            int l = start, r = 0;
            for (var i = start; i < end; i++)
            {
                var row = order[i];
                if (_goesLeft[row])
                {
                    order[l++] = row;
                }
                else
                {
                    _buffer[r++] = row;
                }
            }

            Array.Copy(_buffer, 0, order, l, r);
        }

        return leftCount;
    }

    private readonly record struct Split(int Feature, double Threshold, ulong Categories, double Score);
}
