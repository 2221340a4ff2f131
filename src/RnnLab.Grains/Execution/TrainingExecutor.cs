using RnnLab.Sweeps.Trials;
using RnnLab.Grains.Data;
using RnnLab.Sweeps.Parameters;
using RnnLab.Tasks;
using RnnLab.Training;

namespace RnnLab.Grains.Execution;

/// <summary>Runs a real training trial (any task but the benchmark ones) through <see cref="TrialRunner"/>.</summary>
public sealed class TrainingExecutor(string? dataDirectory = null, DatasetFiles? datasets = null) : ITrialExecutor
{
    public IReadOnlyCollection<string> Tasks { get; } = ["*"];

    public TrialOutcomeOnWorker Execute(TrialExecution execution, CancellationToken cancellationToken)
    {
        var start = execution.Start;
        var config = TrialConfig.FromParameters(Parameters(start));
        using var resume = execution.Checkpoint is { } bytes ? new MemoryStream(bytes, writable: false) : null;
        var lastContinued = 0;
        // Uploaded datasets and server paths are resolved (and checked) here, on the worker, before anything is read.
        var source = datasets is null ? config.Task : datasets.ResolveAsync(config.Task, cancellationToken).GetAwaiter().GetResult();
        var options = new TrialRunOptions
        {
            Task = source == config.Task ? null : TaskCatalog.Create(source, config.TaskOptions, dataDirectory),
            CheckpointEvery = start.CheckpointEvery,
            ResumeFrom = resume,
            DataDirectory = dataDirectory,
            OnEpoch = report =>
            {
                var metrics = new Dictionary<string, double>(report.Metrics)
                {
                    ["train.loss"] = report.TrainLoss,
                    [RuntimeMetrics.SamplesPerSecond] = report.SamplesPerSecond,
                };
                var decision = execution.OnEpoch(report.Epoch, metrics, report.Epoch >= config.Epochs);
                if (decision == Execution.EpochDecision.Continue)
                {
                    lastContinued = report.Epoch;
                }

                return decision == Execution.EpochDecision.Stop ? Training.EpochDecision.Stop : Training.EpochDecision.Continue;
            },
            CheckpointSink = checkpoint =>
            {
                // Only states the trial grain accepted are worth resuming from; the final one never is. Only epochs on
                // the checkpoint cycle either: the grain makes metric points durable on that cycle, and the snapshot a
                // cancelled run hands over mid-cycle (a worker stopping) would be ahead of them, leaving a hole in the
                // epochs when the trial resumes from it.
                if (checkpoint.Epoch == lastContinued && checkpoint.Epoch < config.Epochs &&
                    (start.CheckpointEvery <= 0 || checkpoint.Epoch % start.CheckpointEvery == 0))
                {
                    execution.SaveCheckpoint(checkpoint.Epoch, checkpoint.Bytes.ToArray());
                }
            },
        };
        var result = new TrialRunner().Run(config, options, cancellationToken);
        var state = ToTrialState(result.State);
        return new TrialOutcomeOnWorker(state, result.EpochsRun, result.Metrics, state is TrialState.Pruned or TrialState.Diverged ? result.Message : null);
    }

    private static TrialState ToTrialState(RunOutcome outcome) => outcome switch
    {
        RunOutcome.Completed => TrialState.Completed,
        RunOutcome.Pruned => TrialState.Pruned,
        RunOutcome.Diverged => TrialState.Diverged,
        RunOutcome.Cancelled => TrialState.Cancelled,
        _ => throw new ArgumentOutOfRangeException(nameof(outcome), outcome, "no trial state for this run outcome"),
    };

    private static Dictionary<string, object?> Parameters(TrialStart start)
    {
        var parameters = new Dictionary<string, object?>(StringComparer.Ordinal) { ["task"] = start.TaskName };
        foreach (var (name, value) in ParameterSet.FromJson(start.ParametersJson))
        {
            parameters[name] = value.Kind switch
            {
                ParameterKind.Real => value.AsDouble(),
                ParameterKind.Integer => value.AsLong(),
                ParameterKind.Boolean => value.AsBool(),
                _ => value.AsString(),
            };
        }

        foreach (var (name, value) in ParameterSet.FromJson(start.TaskOptionsJson))
        {
            parameters[TrialConfig.TaskOptionPrefix + name] = value.ToString();
        }

        if (!parameters.ContainsKey("epochs") && start.MaxEpochs is { } epochs)
        {
            parameters["epochs"] = (long)epochs;
        }

        return parameters;
    }
}
