using System.Buffers.Binary;
using RnnLab.Sweeps.Parameters;
using RnnLab.Sweeps.Trials;

namespace RnnLab.Grains.Execution;

/// <summary>
/// The `quadratic` benchmark task: an analytic objective of the trial's parameters, one value per epoch, no
/// training. Task options: epochs (default 5, or the budget's max_epochs, or the trial's `epochs`), delay_ms per
/// epoch (default 0), fail_attempts (the first N attempts throw, to exercise retries). It reports the metric
/// "objective" = Σ over real parameters (v − 0.3)² + 1/epoch, so later epochs are better.
/// </summary>
public sealed class QuadraticExecutor : ITrialExecutor
{
    public const string TaskName = "quadratic";
    public const string MetricName = "objective";

    public IReadOnlyCollection<string> Tasks { get; } = [TaskName];

    public TrialOutcomeOnWorker Execute(TrialExecution execution, CancellationToken cancellationToken)
    {
        var start = execution.Start;
        var parameters = ParameterSet.FromJson(start.ParametersJson);
        var options = ParameterSet.FromJson(start.TaskOptionsJson);
        var epochs = (int)(parameters.ContainsKey("epochs") ? parameters.GetLong("epochs")
            : options.ContainsKey("epochs") ? options.GetLong("epochs")
            : start.MaxEpochs ?? 5);
        var delay = options.ContainsKey("delay_ms") ? TimeSpan.FromMilliseconds(options["delay_ms"].AsDouble()) : TimeSpan.Zero;
        var failAttempts = options.ContainsKey("fail_attempts") ? options.GetLong("fail_attempts") : 0;
        if (start.Attempt <= failAttempts)
        {
            throw new InvalidOperationException($"quadratic: attempt {start.Attempt} fails on purpose (fail_attempts = {failAttempts})");
        }

        var baseValue = parameters.Values.Where(v => v.Kind == ParameterKind.Real).Sum(v => Math.Pow(v.AsDouble() - 0.3, 2));
        var first = execution.Checkpoint is { } bytes ? BinaryPrimitives.ReadInt32LittleEndian(bytes) + 1 : 1;
        var metrics = new Dictionary<string, double>();
        var epoch = first - 1;
        for (var e = first; e <= epochs; e++)
        {
            if (delay > TimeSpan.Zero ? cancellationToken.WaitHandle.WaitOne(delay) : cancellationToken.IsCancellationRequested)
            {
                return new TrialOutcomeOnWorker(TrialState.Cancelled, epoch, metrics);
            }

            epoch = e;
            metrics = new Dictionary<string, double> { [MetricName] = baseValue + 1.0 / e };
            if (execution.OnEpoch(e, metrics, e == epochs) == EpochDecision.Stop)
            {
                return new TrialOutcomeOnWorker(cancellationToken.IsCancellationRequested ? TrialState.Cancelled : TrialState.Pruned, e, metrics);
            }

            if (e % start.CheckpointEvery == 0 && e < epochs)
            {
                var state = new byte[4];
                BinaryPrimitives.WriteInt32LittleEndian(state, e);
                execution.SaveCheckpoint(e, state);
            }
        }

        return new TrialOutcomeOnWorker(TrialState.Completed, epoch, metrics);
    }
}
