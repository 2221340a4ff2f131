using RnnLab.Contracts.V1;

namespace RnnLab.Dashboard.Aggregation;

/// <summary>A trial that may get a learning curve on the sweep page.</summary>
public sealed record CurveCandidate(int Number, string Cell, TrialState State, double? Objective);

/// <summary>
/// Picks whose learning curves to draw: every trial while there are few; past the cap, the running ones, then the
/// best few of each cell, then the best of the rest, so a 5,400-trial sweep ships a few hundred curves, not all.
/// </summary>
public static class CurveSelection
{
    public static IReadOnlyList<int> Choose(IEnumerable<CurveCandidate> candidates, bool maximize, int cap, int perCell)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        if (cap < 1 || perCell < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(cap), "cap must be positive and perCell not negative");
        }

        var all = candidates.ToArray();
        if (all.Length <= cap)
        {
            return all.Select(c => c.Number).Order().ToArray();
        }

        var withObjective = all.Where(c => c.Objective is { } v && double.IsFinite(v));
        var ranked = maximize ? withObjective.OrderByDescending(c => c.Objective) : withObjective.OrderBy(c => c.Objective);
        var byRank = ranked.ThenBy(c => c.Number).ToArray();

        var chosen = new HashSet<int>();
        void Add(IEnumerable<CurveCandidate> items)
        {
            foreach (var item in items)
            {
                if (chosen.Count >= cap)
                {
                    return;
                }

                chosen.Add(item.Number);
            }
        }

        Add(all.Where(c => c.State == TrialState.Running).OrderBy(c => c.Number));
        Add(byRank.GroupBy(c => c.Cell, StringComparer.Ordinal).SelectMany(g => g.Take(perCell)));
        Add(byRank);
        return chosen.Order().ToArray();
    }
}
