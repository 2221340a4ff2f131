namespace RnnLab.Grains;

/// <summary>A snapshot of a sweep's progress.</summary>
[GenerateSerializer, Immutable, Alias("rnnlab.SweepStatus")]
public sealed record SweepStatus(
    [property: Id(0)] Guid SweepId,
    [property: Id(1)] string Name,
    [property: Id(2)] SweepState State,
    [property: Id(3)] int Budget,
    [property: Id(4)] int Created,
    [property: Id(5)] int Running,
    [property: Id(6)] int Finished,
    [property: Id(7)] long LastSequence,
    [property: Id(8)] double? BestValue);
