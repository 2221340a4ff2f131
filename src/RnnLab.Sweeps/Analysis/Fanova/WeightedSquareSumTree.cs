namespace RnnLab.Sweeps.Analysis.Fanova;

/// <summary>
/// A segment tree over weighted cells that supports "add a to every cell in [start, end)" and reports Σ wᵢ·mᵢ²
/// in O(1). Tags stay on the nodes they cover (no push-down), and each node's sums are rebuilt from its children,
/// so long add/remove sequences do not accumulate rounding drift.
/// </summary>
internal sealed class WeightedSquareSumTree
{
    private readonly int _size;
    private readonly double[] _weight;
    private readonly double[] _tag;
    private readonly double[] _sum;
    private readonly double[] _squares;

    public WeightedSquareSumTree(double[] weights)
    {
        _size = weights.Length;
        _weight = new double[4 * _size];
        _tag = new double[4 * _size];
        _sum = new double[4 * _size];
        _squares = new double[4 * _size];
        Build(1, 0, _size, weights);
    }

    /// <summary>Σ wᵢ·mᵢ² over all cells.</summary>
    public double SumOfSquares => _squares[1];

    public void Add(int start, int end, double amount)
    {
        if (start < end)
        {
            Add(1, 0, _size, start, end, amount);
        }
    }

    private void Build(int node, int low, int high, double[] weights)
    {
        if (high - low == 1)
        {
            _weight[node] = weights[low];
            return;
        }

        var middle = (low + high) / 2;
        Build(2 * node, low, middle, weights);
        Build(2 * node + 1, middle, high, weights);
        _weight[node] = _weight[2 * node] + _weight[2 * node + 1];
    }

    private void Add(int node, int low, int high, int start, int end, double amount)
    {
        if (start <= low && high <= end)
        {
            _tag[node] += amount;
        }
        else
        {
            var middle = (low + high) / 2;
            if (start < middle)
            {
                Add(2 * node, low, middle, start, end, amount);
            }

            if (end > middle)
            {
                Add(2 * node + 1, middle, high, start, end, amount);
            }
        }

        Refresh(node, low, high);
    }

    private void Refresh(int node, int low, int high)
    {
        double childSum = 0, childSquares = 0;
        if (high - low > 1)
        {
            childSum = _sum[2 * node] + _sum[2 * node + 1];
            childSquares = _squares[2 * node] + _squares[2 * node + 1];
        }

        var tag = _tag[node];
        _sum[node] = childSum + tag * _weight[node];
        _squares[node] = childSquares + 2 * tag * childSum + tag * tag * _weight[node];
    }
}
