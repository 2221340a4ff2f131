using RnnLab.Storage;
using RnnLab.Training;

namespace RnnLab.Server.Grpc;

/// <summary>Runs a trained model from a trial's latest checkpoint off the request thread, a few at a time: inference
/// is CPU-bound, and two at once keep the API responsive on small machines.</summary>
internal static class CheckpointInference
{
    // Process-wide (services are created per call), shared by text generation and translation.
    private static readonly SemaphoreSlim Gate = new(2, 2);

    /// <param name="missing">The FailedPrecondition message when the trial has saved no checkpoint yet.</param>
    public static async Task<TResponse> RunAsync<TResponse>(
        ICheckpointStore checkpoints, TrialRecord trial, string missing, Func<TrainedModel, CheckpointRecord, TResponse> use, CancellationToken cancellationToken)
    {
        var checkpoint = await checkpoints.GetLatestAsync(trial.Id, cancellationToken)
            ?? throw ApiErrors.FailedPrecondition(missing);

        await Gate.WaitAsync(cancellationToken);
        try
        {
            return await Task.Run(
                () =>
                {
                    using var model = TrainedModel.Load(new MemoryStream(checkpoint.Bytes, writable: false));
                    return use(model, checkpoint);
                },
                cancellationToken);
        }
        finally
        {
            Gate.Release();
        }
    }
}
