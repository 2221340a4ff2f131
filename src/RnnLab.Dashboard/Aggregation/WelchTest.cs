using MathNet.Numerics.Distributions;

namespace RnnLab.Dashboard.Aggregation;

/// <summary>Welch's unequal-variance t-test of a sample against a baseline sample, two-sided.</summary>
public static class WelchTest
{
    /// <summary>Null when either sample has fewer than two values or both have no variance.</summary>
    public static WelchResult? Compare(IReadOnlyList<double> sample, IReadOnlyList<double> baseline)
    {
        ArgumentNullException.ThrowIfNull(sample);
        ArgumentNullException.ThrowIfNull(baseline);
        if (sample.Count < 2 || baseline.Count < 2)
        {
            return null;
        }

        var (meanA, varA) = MeanAndVariance(sample);
        var (meanB, varB) = MeanAndVariance(baseline);
        var seA = varA / sample.Count;
        var seB = varB / baseline.Count;
        if (seA + seB <= 0)
        {
            return null;
        }

        var t = (meanA - meanB) / Math.Sqrt(seA + seB);
        // Welch–Satterthwaite degrees of freedom.
        var df = (seA + seB) * (seA + seB) / (seA * seA / (sample.Count - 1) + seB * seB / (baseline.Count - 1));
        var p = 2 * (1 - StudentT.CDF(0, 1, df, Math.Abs(t)));
        return new WelchResult(meanA - meanB, t, df, Math.Clamp(p, 0, 1));
    }

    private static (double Mean, double Variance) MeanAndVariance(IReadOnlyList<double> values)
    {
        var mean = values.Average();
        var sum = values.Sum(v => (v - mean) * (v - mean));
        return (mean, sum / (values.Count - 1));
    }
}

/// <summary>The outcome of a Welch t-test: sample mean minus baseline mean, t, degrees of freedom, two-sided p.</summary>
public sealed record WelchResult(double MeanDifference, double T, double DegreesOfFreedom, double PValue);
