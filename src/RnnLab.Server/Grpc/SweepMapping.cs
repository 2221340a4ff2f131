using TrialState = RnnLab.Sweeps.Trials.TrialState;
using RnnLab.Storage;
using RnnLab.Sweeps.Spec;
using V1 = RnnLab.Contracts.V1;

namespace RnnLab.Server.Grpc;

/// <summary>Builds the API view of a sweep from its record, spec and trials.</summary>
internal static class SweepMapping
{
    public static V1.Sweep ToProto(SweepRecord sweep, SweepSpec? spec, IReadOnlyList<TrialRecord> trials, long lastEvent)
    {
        var message = new V1.Sweep
        {
            Id = sweep.Id.ToString(),
            Name = sweep.Name,
            State = sweep.State.ToProto(),
            SpecText = sweep.SpecText,
            CreatedAt = sweep.CreatedAt.ToTimestamp(),
            FinishedAt = sweep.FinishedAt.ToTimestamp(),
            Trials = Count(trials),
            Objective = spec?.Metric.Name ?? "",
            Maximize = spec?.Metric.Direction == MetricDirection.Maximize,
            LastEvent = lastEvent,
            Budget = Math.Max((spec?.Budget.Trials ?? 0) + sweep.ExtraTrials, trials.Count),
        };
        var objectives = trials.Where(t => t.Objective is { } v && double.IsFinite(v)).Select(t => t.Objective!.Value).ToList();
        if (objectives.Count > 0)
        {
            message.BestObjective = message.Maximize ? objectives.Max() : objectives.Min();
        }

        return message;
    }

    public static V1.TrialCounts Count(IReadOnlyList<TrialRecord> trials)
    {
        var counts = new V1.TrialCounts { Total = trials.Count };
        foreach (var trial in trials)
        {
            switch (trial.State)
            {
                case TrialState.Pending: counts.Pending++; break;
                case TrialState.Running: counts.Running++; break;
                case TrialState.Completed: counts.Completed++; break;
                case TrialState.Pruned: counts.Pruned++; break;
                case TrialState.Diverged: counts.Diverged++; break;
                case TrialState.Failed: counts.Failed++; break;
                case TrialState.Cancelled: counts.Cancelled++; break;
            }
        }

        return counts;
    }
}
