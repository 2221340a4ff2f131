namespace RnnLab.Sweeps.Stopping;

/// <summary>
/// The median stopping rule (Golovin et al. 2017, as in Vizier and Optuna's MedianPruner): after the grace period,
/// a trial whose best loss up to epoch e is worse than the median of the other trials' best losses up to e stops.
/// Only trials that have reached epoch e count, and at least <c>minTrials</c> of them are needed.
/// Losses: lower is better (see <see cref="EarlyStoppingFactory"/> for maximised metrics).
/// </summary>
public sealed class MedianStopping(int gracePeriod, int minTrials) : IEarlyStopping
{
    private readonly Dictionary<long, SortedList<int, double>> _bestByEpoch = [];

    public StoppingDecision Report(long trialId, int epoch, double value)
    {
        if (!double.IsFinite(value))
        {
            return StoppingDecision.Stop;
        }

        if (!_bestByEpoch.TryGetValue(trialId, out var history))
        {
            history = [];
            _bestByEpoch[trialId] = history;
        }

        var previousBest = history.Count > 0 ? history.Values[^1] : double.PositiveInfinity;
        var best = Math.Min(previousBest, value);
        history[epoch] = best;
        if (epoch <= gracePeriod)
        {
            return StoppingDecision.Continue;
        }

        var others = new List<double>();
        foreach (var (otherId, otherHistory) in _bestByEpoch)
        {
            if (otherId != trialId && otherHistory.Count > 0 && otherHistory.Keys[^1] >= epoch)
            {
                others.Add(BestUpTo(otherHistory, epoch));
            }
        }

        if (others.Count < minTrials)
        {
            return StoppingDecision.Continue;
        }

        others.Sort();
        var median = others.Count % 2 == 1
            ? others[others.Count / 2]
            : (others[others.Count / 2 - 1] + others[others.Count / 2]) / 2;
        return best > median ? StoppingDecision.Stop : StoppingDecision.Continue;
    }

    private static double BestUpTo(SortedList<int, double> history, int epoch)
    {
        // Running bests are non-increasing, so the last entry at or before the epoch is the best up to it.
        var keys = history.Keys;
        int low = 0, high = keys.Count - 1, found = -1;
        while (low <= high)
        {
            var middle = (low + high) / 2;
            if (keys[middle] <= epoch)
            {
                found = middle;
                low = middle + 1;
            }
            else
            {
                high = middle - 1;
            }
        }

        return found < 0 ? double.PositiveInfinity : history.Values[found];
    }
}
