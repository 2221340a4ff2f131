using RnnLab.Sweeps.Trials;

namespace RnnLab.Grains;

/// <summary>Everything a worker needs to run one attempt of a trial.</summary>
[GenerateSerializer, Immutable, Alias("rnnlab.TrialStart")]
public sealed record TrialStart(
    [property: Id(0)] Guid TrialId,
    [property: Id(1)] Guid SweepId,
    [property: Id(2)] int Number,
    [property: Id(3)] int Attempt,
    [property: Id(4)] string TaskName,
    [property: Id(5)] string ParametersJson,
    [property: Id(6)] int? ResumeFromEpoch,
    [property: Id(7)] int CheckpointEvery,
    [property: Id(8)] string TaskOptionsJson,
    [property: Id(9)] string MetricName,
    [property: Id(10)] int? MaxEpochs);

/// <summary>One epoch's metrics from the worker running an attempt.</summary>
[GenerateSerializer, Immutable, Alias("rnnlab.AttemptEpoch")]
public sealed record AttemptEpoch(
    [property: Id(0)] int Attempt,
    [property: Id(1)] int Epoch,
    [property: Id(2)] IReadOnlyDictionary<string, double> Metrics);

/// <summary>How an attempt ended on the worker, with the report of its last epoch when that was not sent alone.</summary>
[GenerateSerializer, Immutable, Alias("rnnlab.AttemptResult")]
public sealed record AttemptResult(
    [property: Id(0)] int Attempt,
    [property: Id(1)] TrialState State,
    [property: Id(2)] int Epochs,
    [property: Id(3)] IReadOnlyDictionary<string, double> FinalMetrics,
    [property: Id(4)] string? Error = null,
    [property: Id(5)] AttemptEpoch? LastEpoch = null);
