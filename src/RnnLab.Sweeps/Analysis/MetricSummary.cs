using MathNet.Numerics.Statistics;
using RnnLab.Sweeps.Spec;

namespace RnnLab.Sweeps.Analysis;

/// <summary>
/// The numbers behind one box of Greff et al.'s Figure 3: count, mean, standard deviation, median, quartiles
/// (R-7 / NumPy definition), and the best and worst value in the metric's direction.
/// </summary>
public sealed record MetricSummary(
    int Count,
    double Mean,
    double StandardDeviation,
    double Median,
    double LowerQuartile,
    double UpperQuartile,
    double Best,
    double Worst)
{
    public static MetricSummary? Of(IReadOnlyCollection<double> values, MetricDirection direction)
    {
        if (values.Count == 0)
        {
            return null;
        }

        var data = values.ToArray();
        var best = direction == MetricDirection.Minimize ? data.Min() : data.Max();
        var worst = direction == MetricDirection.Minimize ? data.Max() : data.Min();
        return new MetricSummary(
            data.Length,
            data.Mean(),
            data.Length > 1 ? data.StandardDeviation() : 0,
            data.QuantileCustom(0.5, QuantileDefinition.R7),
            data.QuantileCustom(0.25, QuantileDefinition.R7),
            data.QuantileCustom(0.75, QuantileDefinition.R7),
            best,
            worst);
    }
}
