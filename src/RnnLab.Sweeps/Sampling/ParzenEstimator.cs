using MathNet.Numerics.Distributions;

namespace RnnLab.Sweeps.Sampling;

/// <summary>
/// A mixture of Gaussians truncated to [low, high], one per observation plus a broad prior, with Bergstra's
/// bandwidth rule (distance to the farther neighbour, clipped so no kernel is narrower than the range over
/// min(100, n+1)). TPE fits one to the good trials and one to the rest.
/// </summary>
internal sealed class ParzenEstimator
{
    private readonly double[] _mus;
    private readonly double[] _sigmas;
    private readonly double[] _weights;
    private readonly double[] _logCoefficients;
    private readonly double[] _inverseSigmas;
    private readonly double[] _cumulative;
    private readonly double _low;
    private readonly double _high;

    public ParzenEstimator(IReadOnlyList<double> observations, IReadOnlyList<double> observationWeights, double low, double high, double priorWeight = 1.0)
    {
        _low = low;
        _high = high;
        var n = observations.Count;
        var mus = new double[n + 1];
        var weights = new double[n + 1];
        for (var i = 0; i < n; i++)
        {
            mus[i] = observations[i];
            weights[i] = observationWeights[i];
        }

        mus[n] = (low + high) / 2;
        weights[n] = priorWeight;

        var order = Enumerable.Range(0, n + 1).OrderBy(i => mus[i]).ThenBy(i => i).ToArray();
        var sigmas = new double[n + 1];
        var range = high - low;
        var minSigma = range / Math.Min(100.0, n + 1.0);
        for (var rank = 0; rank < order.Length; rank++)
        {
            var i = order[rank];
            var left = rank > 0 ? mus[i] - mus[order[rank - 1]] : mus[i] - low;
            var right = rank < order.Length - 1 ? mus[order[rank + 1]] - mus[i] : high - mus[i];
            sigmas[i] = Math.Clamp(Math.Max(left, right), minSigma, range);
        }

        sigmas[n] = range;

        var total = weights.Sum();
        _mus = mus;
        _sigmas = sigmas;
        _weights = weights.Select(weight => weight / total).ToArray();
        _logCoefficients = new double[n + 1];
        _inverseSigmas = new double[n + 1];
        _cumulative = new double[n + 1];
        var running = 0.0;
        for (var i = 0; i <= n; i++)
        {
            // log(weight / (σ·√(2π)·truncated mass)), so a density term is one multiply-add and an exp.
            var mass = StandardNormalCdf((high - mus[i]) / sigmas[i]) - StandardNormalCdf((low - mus[i]) / sigmas[i]);
            _logCoefficients[i] = Math.Log(_weights[i]) - Math.Log(Math.Max(mass, 1e-300)) - Math.Log(sigmas[i]) - 0.5 * Math.Log(2 * Math.PI);
            _inverseSigmas[i] = 1 / sigmas[i];
            running += _weights[i];
            _cumulative[i] = running;
        }
    }

    public double Sample(SeededRandom random)
    {
        var pick = random.NextDouble() * _cumulative[^1];
        var k = Array.BinarySearch(_cumulative, pick);
        k = Math.Min(k < 0 ? ~k : k, _mus.Length - 1);

        // Inverse-CDF draw from the truncated normal: exact, no rejection loop.
        var lower = Normal.CDF(0, 1, (_low - _mus[k]) / _sigmas[k]);
        var upper = Normal.CDF(0, 1, (_high - _mus[k]) / _sigmas[k]);
        var u = lower + random.NextDouble() * (upper - lower);
        var x = _mus[k] + _sigmas[k] * Normal.InvCDF(0, 1, Math.Clamp(u, 1e-300, 1 - 1e-16));
        return Math.Clamp(x, _low, _high);
    }

    public double LogDensity(double x)
    {
        // Log-sum-exp in two passes (maximum, then sum) so that far-away kernels cannot underflow the total.
        var max = double.NegativeInfinity;
        for (var i = 0; i < _mus.Length; i++)
        {
            max = Math.Max(max, Term(i, x));
        }

        var sum = 0.0;
        for (var i = 0; i < _mus.Length; i++)
        {
            sum += Math.Exp(Term(i, x) - max);
        }

        return max + Math.Log(sum);
    }

    /// <summary>Φ(z), skipping the error function where it is 0 or 1 to double precision (most kernels of a large g).</summary>
    private static double StandardNormalCdf(double z) => z > 8.5 ? 1.0 : z < -8.5 ? 0.0 : Normal.CDF(0, 1, z);

    private double Term(int i, double x)
    {
        var z = (x - _mus[i]) * _inverseSigmas[i];
        return _logCoefficients[i] - 0.5 * z * z;
    }
}
