using RnnLab.Contracts.V1;
using RnnLab.Dashboard.Aggregation;

namespace RnnLab.Dashboard.Live;

/// <summary>Counts trials by state; trials the page has not seen yet are pending.</summary>
public static class TrialCounting
{
    public static TrialCounts Count(int total, IEnumerable<TrialSummary> known)
    {
        ArgumentNullException.ThrowIfNull(known);
        var counts = new TrialCounts();
        var seen = 0;
        foreach (var trial in known)
        {
            seen++;
            switch (trial.State)
            {
                case TrialState.Running: counts.Running++; break;
                case TrialState.Completed: counts.Completed++; break;
                case TrialState.Pruned: counts.Pruned++; break;
                case TrialState.Diverged: counts.Diverged++; break;
                case TrialState.Failed: counts.Failed++; break;
                case TrialState.Cancelled: counts.Cancelled++; break;
                default: counts.Pending++; break;
            }
        }

        counts.Total = Math.Max(total, seen);
        counts.Pending += counts.Total - seen;
        return counts;
    }
}
