namespace RnnLab.Training;

/// <summary>What happened in one epoch. <see cref="Metrics"/> holds <c>train.loss</c> and <c>valid.&lt;metric&gt;</c>;
/// samples are the task's loss units (frames, characters, sequences) trained per second.</summary>
public sealed record EpochReport(
    int Epoch,
    double TrainLoss,
    IReadOnlyDictionary<string, double> Metrics,
    double Seconds,
    double SamplesPerSecond,
    double LearningRate,
    int BestEpoch);
