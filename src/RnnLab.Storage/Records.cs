namespace RnnLab.Storage;

/// <summary>A sweep to create; the idempotency key makes a repeated submission return the first sweep.</summary>
public sealed record NewSweep(string Name, string SpecText, string? IdempotencyKey = null);

/// <summary>A persisted sweep.</summary>
public sealed record SweepRecord(
    Guid Id,
    string Name,
    string SpecText,
    SweepState State,
    string? IdempotencyKey,
    DateTime CreatedAt,
    DateTime? FinishedAt,
    int ExtraTrials = 0);

/// <summary>A page of sweeps and how many match in all.</summary>
public sealed record SweepPage(IReadOnlyList<SweepRecord> Items, int Total);

/// <summary>A trial to create: its number within the sweep and its parameters as a JSON object.</summary>
public sealed record NewTrial(Guid SweepId, int Number, string ParametersJson);

/// <summary>A persisted trial.</summary>
public sealed record TrialRecord(
    Guid Id,
    Guid SweepId,
    int Number,
    string ParametersJson,
    TrialState State,
    int Attempt,
    string? ResultJson,
    double? Objective,
    string? Error,
    DateTime CreatedAt,
    DateTime? StartedAt,
    DateTime? FinishedAt,
    string? Worker,
    DateTime? LeaseExpiresAt,
    int? ResumedFromEpoch);

/// <summary>The final outcome of a trial, recorded once.</summary>
public sealed record TrialOutcome(
    TrialState State,
    string? ResultJson,
    double? Objective,
    string? Error,
    DateTime FinishedAt);

/// <summary>One metric value of one trial at one epoch.</summary>
public readonly record struct MetricPoint(Guid TrialId, int Epoch, string Name, double Value);

/// <summary>A saved training state of a trial after an epoch.</summary>
public sealed record CheckpointRecord(Guid TrialId, int Epoch, byte[] Bytes, DateTime CreatedAt);

/// <summary>One numbered progress event of a sweep; numbers start at 1 and have no gaps.</summary>
public sealed record SweepEventRecord(Guid SweepId, long Sequence, string Kind, string PayloadJson, DateTime Time);
