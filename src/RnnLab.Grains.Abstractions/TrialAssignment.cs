namespace RnnLab.Grains;

/// <summary>
/// A trial handed to a worker slot under a lease, renewed by the worker's heartbeats. A trial never started
/// carries its parameters (see <see cref="QueuedTrial"/>).
/// </summary>
[GenerateSerializer, Immutable, Alias("rnnlab.TrialAssignment")]
public sealed record TrialAssignment(
    [property: Id(0)] Guid TrialId,
    [property: Id(1)] Guid SweepId,
    [property: Id(2)] int Number,
    [property: Id(3)] TimeSpan LeaseDuration,
    [property: Id(4)] string? ParametersJson = null);
