using MathNet.Numerics.Distributions;
using MathNet.Numerics.Statistics;

namespace RnnLab.Sweeps.Analysis;

/// <summary>Welch's unequal-variance t-test of two samples (two-sided).</summary>
public sealed record WelchResult(double MeanDifference, double T, double DegreesOfFreedom, double PValue, bool Significant);

/// <summary>Welch's t-test, as Greff et al. used to compare each LSTM variant with the vanilla LSTM.</summary>
public static class WelchTest
{
    public const double DefaultAlpha = 0.05;

    /// <summary>Compares mean(<paramref name="sample"/>) with mean(<paramref name="reference"/>); null when either has fewer than two values.</summary>
    public static WelchResult? Compare(IReadOnlyCollection<double> sample, IReadOnlyCollection<double> reference, double alpha = DefaultAlpha)
    {
        if (sample.Count < 2 || reference.Count < 2)
        {
            return null;
        }

        var (meanA, varianceA) = sample.MeanVariance();
        var (meanB, varianceB) = reference.MeanVariance();
        var a = varianceA / sample.Count;
        var b = varianceB / reference.Count;
        var difference = meanA - meanB;
        var standardError = Math.Sqrt(a + b);
        if (standardError == 0)
        {
            // Both samples are constant: the means either agree exactly or differ with certainty.
            var identical = difference == 0;
            return new WelchResult(difference, identical ? 0 : Math.Sign(difference) * double.PositiveInfinity,
                sample.Count + reference.Count - 2, identical ? 1 : 0, !identical);
        }

        var t = difference / standardError;
        var degrees = (a + b) * (a + b) / (a * a / (sample.Count - 1) + b * b / (reference.Count - 1));
        var p = 2 * StudentT.CDF(0, 1, degrees, -Math.Abs(t));
        return new WelchResult(difference, t, degrees, p, p < alpha);
    }
}
