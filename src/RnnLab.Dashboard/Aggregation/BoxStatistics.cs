using MathNet.Numerics.Statistics;

namespace RnnLab.Dashboard.Aggregation;

/// <summary>
/// The five numbers of a Tukey box plot (whiskers at the furthest values within 1.5 IQR of the box) and the mean,
/// so the browser draws a box from a handful of numbers instead of every trial's value.
/// </summary>
public sealed record BoxStatistics(int Count, double Mean, double LowerFence, double Q1, double Median, double Q3, double UpperFence)
{
    /// <summary>Statistics of the finite values; null when there are none.</summary>
    public static BoxStatistics? Of(IEnumerable<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var sorted = values.Where(double.IsFinite).Order().ToArray();
        if (sorted.Length == 0)
        {
            return null;
        }

        // R-7 is linear interpolation between order statistics, the definition numpy and plotly.js use by default.
        var q1 = SortedArrayStatistics.QuantileCustom(sorted, 0.25, QuantileDefinition.R7);
        var median = SortedArrayStatistics.QuantileCustom(sorted, 0.5, QuantileDefinition.R7);
        var q3 = SortedArrayStatistics.QuantileCustom(sorted, 0.75, QuantileDefinition.R7);
        var reach = 1.5 * (q3 - q1);
        var lower = sorted.First(v => v >= q1 - reach);
        var upper = sorted.Last(v => v <= q3 + reach);
        return new BoxStatistics(sorted.Length, sorted.Average(), lower, q1, median, q3, upper);
    }
}
