using RnnLab.Storage.Entities;

namespace RnnLab.Storage.Stores;

internal static class RecordMapping
{
    public static SweepRecord ToRecord(this SweepEntity s) =>
        new(s.Id, s.Name, s.SpecText, s.State, s.IdempotencyKey, s.CreatedAt, s.FinishedAt, s.ExtraTrials);

    public static TrialRecord ToRecord(this TrialEntity t) =>
        new(t.Id, t.SweepId, t.Number, t.ParametersJson, t.State, t.Attempt, t.ResultJson, t.Objective, t.Error,
            t.CreatedAt, t.StartedAt, t.FinishedAt, t.Worker, t.LeaseExpiresAt, t.ResumedFromEpoch);

    public static MetricPointEntity ToEntity(this MetricPoint p) =>
        new() { TrialId = p.TrialId, Epoch = p.Epoch, Name = p.Name, Value = p.Value };

    public static SweepEventRecord ToRecord(this SweepEventEntity e) =>
        new(e.SweepId, e.Sequence, e.Kind, e.PayloadJson, e.Time);
}
