using RnnLab.Sweeps.Parameters;
using RnnLab.Sweeps.Spec;
using RnnLab.Sweeps.Trials;

namespace RnnLab.Sweeps.Analysis;

/// <summary>One row of a leaderboard: rank 1 is the best trial.</summary>
public sealed record LeaderboardEntry(int Rank, long TrialId, double Value, TrialState State, ParameterSet Parameters);

/// <summary>Ranks trials by their metric in the spec's direction.</summary>
public static class Leaderboard
{
    /// <summary>Best first; ties broken by trial id so the order is stable. Diverged trials never rank.</summary>
    public static IReadOnlyList<LeaderboardEntry> Rank(IEnumerable<TrialSnapshot> trials, MetricSpec metric,
        AnalysisOptions? options = null, int? top = null)
    {
        options = (options ?? AnalysisOptions.Default) with { Diverged = DivergedPolicy.Exclude };
        return TrialSelection.Select(trials, metric, options)
            .OrderBy(x => metric.ToLoss(x.Value))
            .ThenBy(x => x.Trial.Id)
            .Take(top ?? int.MaxValue)
            .Select((x, i) => new LeaderboardEntry(i + 1, x.Trial.Id, x.Value, x.Trial.State, x.Trial.Parameters))
            .ToList();
    }
}
