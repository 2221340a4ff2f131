namespace RnnLab.Grains;

/// <summary>A trial handed to a worker slot under a lease, renewed by the worker's heartbeats.</summary>
[GenerateSerializer, Immutable]
public sealed record TrialAssignment(
    [property: Id(0)] Guid TrialId,
    [property: Id(1)] Guid SweepId,
    [property: Id(2)] int Number,
    [property: Id(3)] TimeSpan LeaseDuration);
