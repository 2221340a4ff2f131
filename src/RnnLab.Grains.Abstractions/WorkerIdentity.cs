namespace RnnLab.Grains;

/// <summary>A worker silo asking for work; the silo address lets the scheduler see when it dies.</summary>
[GenerateSerializer, Immutable, Alias("rnnlab.WorkerIdentity")]
public sealed record WorkerIdentity(
    [property: Id(0)] string WorkerId,
    [property: Id(1)] SiloAddress Silo);

/// <summary>Queue depth and lease counts of the scheduler.</summary>
[GenerateSerializer, Immutable, Alias("rnnlab.SchedulerStats")]
public sealed record SchedulerStats(
    [property: Id(0)] int Queued,
    [property: Id(1)] int Leased,
    [property: Id(2)] int Workers,
    [property: Id(3)] long LeasesGranted,
    [property: Id(4)] long LeasesLost);
