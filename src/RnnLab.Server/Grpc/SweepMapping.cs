using TrialState = RnnLab.Sweeps.Trials.TrialState;
using RnnLab.Storage;
using RnnLab.Sweeps.Spec;
using V1 = RnnLab.Contracts.V1;

namespace RnnLab.Server.Grpc;

/// <summary>Builds the API view of a sweep from its record, spec and trials.</summary>
internal static class SweepMapping
{
    public static V1.Sweep ToProto(SweepRecord sweep, SweepSpec? spec, TrialTally tally, long lastEvent)
    {
        var total = tally.Total;
        var message = new V1.Sweep
        {
            Id = sweep.Id.ToString(),
            Name = sweep.Name,
            State = sweep.State.ToProto(),
            SpecText = sweep.SpecText,
            CreatedAt = sweep.CreatedAt.ToTimestamp(),
            FinishedAt = sweep.FinishedAt.ToTimestamp(),
            Trials = Count(tally),
            Objective = spec?.Metric.Name ?? "",
            Maximize = spec?.Metric.Direction == MetricDirection.Maximize,
            LastEvent = lastEvent,
            Budget = Math.Max((spec?.Budget.Trials ?? 0) + sweep.ExtraTrials, total),
        };
        if ((message.Maximize ? tally.MaxObjective : tally.MinObjective) is { } best)
        {
            message.BestObjective = best;
        }

        return message;
    }

    public static V1.TrialCounts Count(TrialTally tally) => new()
    {
        Total = tally.Total,
        Pending = tally[TrialState.Pending],
        Running = tally[TrialState.Running],
        Completed = tally[TrialState.Completed],
        Pruned = tally[TrialState.Pruned],
        Diverged = tally[TrialState.Diverged],
        Failed = tally[TrialState.Failed],
        Cancelled = tally[TrialState.Cancelled],
    };
}
