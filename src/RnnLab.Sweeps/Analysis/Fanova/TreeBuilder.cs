namespace RnnLab.Sweeps.Analysis.Fanova;

/// <summary>
/// Grows one <see cref="RegressionTree"/> on a bootstrap sample, held as distinct rows with integer weights (the
/// number of times each was drawn) so repeated rows cost nothing extra. Each numeric column is sorted once for the
/// whole forest and partitioned stably at every split, so growing costs O(features · rows · depth).
/// </summary>
internal sealed class TreeBuilder
{
    private readonly double[][] _columns;
    private readonly double[] _y;
    private readonly int[] _weight;
    private readonly IReadOnlyList<FeatureSpec> _features;
    private readonly int _maxDepth;
    private readonly int _minSamplesSplit;
    private readonly int _minSamplesLeaf;
    private readonly int[][] _order;
    private readonly int[] _buffer;
    private readonly bool[] _goesLeft;
    private readonly double[] _reciprocal;
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
        _weight = counts;
        _features = features;
        _maxDepth = maxDepth;
        _minSamplesSplit = minSamplesSplit;
        _minSamplesLeaf = minSamplesLeaf;
        var distinct = counts.Count(count => count > 0);
        _order = new int[features.Count][];
        for (var f = 0; f < features.Count; f++)
        {
            // Filtering the forest-wide sorted rows keeps them sorted: no sort per tree.
            var order = new int[distinct];
            var k = 0;
            foreach (var row in sortedRows[f])
            {
                if (counts[row] > 0)
                {
                    order[k++] = row;
                }
            }

            _order[f] = order;
        }

        _buffer = new int[distinct];
        _goesLeft = new bool[y.Length];

        // The split scan divides by child weights at every position; a table of 1/k turns that into a multiply.
        var total = counts.Sum();
        _reciprocal = new double[total + 1];
        for (var k = 1; k <= total; k++)
        {
            _reciprocal[k] = 1.0 / k;
        }
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
        var weight = 0;
        for (var i = start; i < end; i++)
        {
            var row = rows[i];
            var target = _y[row];
            var w = _weight[row];
            weight += w;
            sum += w * target;
            sumSquares += w * target * target;
        }

        _value.Add(sum / weight);
        var distinct = end - start;
        var impurity = sumSquares - sum * sum / weight;
        if (depth >= _maxDepth || distinct < _minSamplesSplit || distinct < 2 * _minSamplesLeaf ||
            impurity <= 1e-12 * Math.Max(1.0, sumSquares))
        {
            return node;
        }

        var best = FindSplit(start, end, sum, weight);
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

    private Split FindSplit(int start, int end, double sum, int weight)
    {
        // A split must beat the parent's score (sum²/weight) by more than rounding to count as an improvement.
        var best = new Split(-1, 0, 0, sum * sum / weight * (1 + 1e-12) + 1e-12);
        for (var f = 0; f < _features.Count; f++)
        {
            var candidate = _features[f].IsCategorical
                ? BestCategoricalSplit(f, start, end, sum, weight)
                : BestNumericSplit(f, start, end, sum, weight);
            if (candidate.Score > best.Score)
            {
                best = candidate;
            }
        }

        return best;
    }

    private Split BestNumericSplit(int f, int start, int end, double sum, int weight)
    {
        var order = _order[f];
        var column = _columns[f];
        var best = new Split(-1, 0, 0, double.NegativeInfinity);
        if (column[order[start]] == column[order[end - 1]])
        {
            return best;
        }

        var reciprocal = _reciprocal;
        var y = _y;
        var weights = _weight;
        var minLeaf = _minSamplesLeaf;
        var distinct = end - start;
        double leftSum = 0;
        var leftWeight = 0;
        for (var i = start; i < end - 1; i++)
        {
            var row = order[i];
            var w = weights[row];
            leftSum += w * y[row];
            leftWeight += w;
            var leftDistinct = i - start + 1;
            var here = column[row];
            var next = column[order[i + 1]];
            if (next <= here || leftDistinct < minLeaf || distinct - leftDistinct < minLeaf)
            {
                continue;
            }

            var rightSum = sum - leftSum;
            var score = leftSum * leftSum * reciprocal[leftWeight] + rightSum * rightSum * reciprocal[weight - leftWeight];
            if (score > best.Score)
            {
                var threshold = here + (next - here) / 2;

                // Midpoints of adjacent doubles can round up to the right value; keep the split strict.
                best = new Split(f, threshold >= next ? here : threshold, 0, score);
            }
        }

        return best;
    }

    private Split BestCategoricalSplit(int f, int start, int end, double sum, int weight)
    {
        var k = _features[f].Categories;
        var sums = new double[k];
        var weights = new int[k];
        var distincts = new int[k];
        var column = _columns[f];
        var rows = _order[f];
        for (var i = start; i < end; i++)
        {
            var row = rows[i];
            var c = (int)column[row];
            sums[c] += _weight[row] * _y[row];
            weights[c] += _weight[row];
            distincts[c]++;
        }

        var present = Enumerable.Range(0, k).Where(c => weights[c] > 0)
            .OrderBy(c => sums[c] / weights[c]).ThenBy(c => c).ToArray();
        var distinct = end - start;
        var best = new Split(-1, 0, 0, double.NegativeInfinity);
        double leftSum = 0;
        var leftWeight = 0;
        var leftDistinct = 0;
        ulong mask = 0;
        for (var i = 0; i < present.Length - 1; i++)
        {
            var c = present[i];
            leftSum += sums[c];
            leftWeight += weights[c];
            leftDistinct += distincts[c];
            mask |= 1UL << c;
            if (leftDistinct < _minSamplesLeaf || distinct - leftDistinct < _minSamplesLeaf)
            {
                continue;
            }

            var rightSum = sum - leftSum;
            var score = leftSum * leftSum / leftWeight + rightSum * rightSum / (weight - leftWeight);
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
        var goesLeft = _goesLeft;
        var buffer = _buffer;
        var leftCount = 0;
        var rows = _order[0];
        for (var i = start; i < end; i++)
        {
            var row = rows[i];
            var left = categorical
                ? (split.Categories & (1UL << (int)column[row])) != 0
                : column[row] <= split.Threshold;
            goesLeft[row] = left;
            leftCount += left ? 1 : 0;
        }

        foreach (var order in _order)
        {
            int l = start, r = 0;
            for (var i = start; i < end; i++)
            {
                var row = order[i];
                if (goesLeft[row])
                {
                    order[l++] = row;
                }
                else
                {
                    buffer[r++] = row;
                }
            }

            for (var i = 0; i < r; i++)
            {
                order[l + i] = buffer[i];
            }
        }

        return leftCount;
    }

    private readonly record struct Split(int Feature, double Threshold, ulong Categories, double Score);
}
