namespace RnnLab.Tasks;

/// <summary>Named running sums a task keeps over a split (correct answers, n-gram matches…), for metrics that the
/// loss alone does not give.</summary>
public sealed class MetricCounts
{
    private readonly Dictionary<string, double> _sums = new(StringComparer.Ordinal);

    public void Add(string name, double value) => _sums[name] = _sums.GetValueOrDefault(name) + value;

    public double this[string name] => _sums.GetValueOrDefault(name);
}
