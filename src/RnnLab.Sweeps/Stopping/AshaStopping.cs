namespace RnnLab.Sweeps.Stopping;

/// <summary>
/// Asynchronous successive halving (Li et al. 2018, ASHA): rungs at grace·η^k epochs (below the last epoch).
/// The first time a trial reaches a rung it is compared with the trials already recorded there and continues only
/// if its loss is within the best 1/η of them (linear-interpolated quantile, as Ray Tune); the first trial at a
/// rung always continues. No trial waits for another, so reports may arrive in any order.
/// </summary>
public sealed class AshaStopping : IEarlyStopping
{
    private readonly int[] _milestones;
    private readonly double _reductionFactor;
    private readonly Dictionary<long, double>[] _rungs;

    public AshaStopping(int gracePeriod, double reductionFactor, int maxEpochs)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(gracePeriod, 1);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(reductionFactor, 1.0);
        _reductionFactor = reductionFactor;
        var milestones = new List<int>();
        for (double milestone = gracePeriod; milestone < maxEpochs; milestone *= reductionFactor)
        {
            var epoch = (int)Math.Round(milestone);
            if (milestones.Count == 0 || epoch > milestones[^1])
            {
                milestones.Add(epoch);
            }
        }

        _milestones = [.. milestones];
        _rungs = _milestones.Select(_ => new Dictionary<long, double>()).ToArray();
    }

    public IReadOnlyList<int> Milestones => _milestones;

    public StoppingDecision Report(long trialId, int epoch, double value)
    {
        if (!double.IsFinite(value))
        {
            return StoppingDecision.Stop;
        }

        // The highest rung reached decides; a trial that skipped epochs is judged at the rung it jumped to.
        for (var k = _milestones.Length - 1; k >= 0; k--)
        {
            if (epoch < _milestones[k])
            {
                continue;
            }

            var rung = _rungs[k];
            if (rung.ContainsKey(trialId))
            {
                return StoppingDecision.Continue;
            }

            var decision = rung.Count > 0 && value > Cutoff(rung.Values) ? StoppingDecision.Stop : StoppingDecision.Continue;
            rung[trialId] = value;
            return decision;
        }

        return StoppingDecision.Continue;
    }

    private double Cutoff(IEnumerable<double> recorded)
    {
        var sorted = recorded.OrderBy(value => value).ToArray();
        var position = (sorted.Length - 1) / _reductionFactor;
        var below = (int)Math.Floor(position);
        var above = Math.Min(below + 1, sorted.Length - 1);
        return sorted[below] + (position - below) * (sorted[above] - sorted[below]);
    }
}
