using RnnLab.Tasks;
using TorchSharp;

namespace RnnLab.Training;

/// <summary>Runs one <see cref="TrialConfig"/> to a <see cref="TrialResult"/> on the calling thread. Synchronous and
/// free of any synchronization context, so a worker can call it from its own thread; several runners may work on
/// different threads at once.</summary>
public sealed class TrialRunner
{
    public TrialResult Run(TrialConfig config, TrialRunOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(config);
        config.Validate();
        options ??= new TrialRunOptions();
        torch.set_num_threads(config.Threads);
        var task = options.Task ?? TaskCatalog.Create(config.Task, config.TaskOptions, options.DataDirectory);
        if (config.Bidirectional && !TaskShapes.AllowsBidirectional(task.Shape))
        {
            throw new ArgumentException("parameter 'bidirectional' is refused: " + TaskShapes.BidirectionalLeak(task.Name));
        }

        TrialCheckpoint? resume = null;
        if (options.ResumeFrom is not null)
        {
            resume = TrialCheckpoint.ReadFrom(options.ResumeFrom);
            EnsureResumable(resume.Config, config);
        }

        // A resumed trial passed its screen before it was interrupted; the screen is not run again.
        KeyValuePair<string, double>? screened = null;
        if (config.ScreenTask is not null && resume is null)
        {
            var (stop, metric) = ScreenStage.Run(config, options.DataDirectory, cancellationToken);
            if (stop is not null)
            {
                return stop;
            }

            screened = metric;
        }

        using var session = new TrainingSession(config, task, resume);
        var result = session.Run(options, cancellationToken);
        if (screened is { } kept && double.IsFinite(kept.Value))
        {
            result = result with { Metrics = new Dictionary<string, double>(result.Metrics, StringComparer.Ordinal) { [kept.Key] = kept.Value } };
        }

        return result;
    }

    private static void EnsureResumable(TrialConfig saved, TrialConfig requested)
    {
        // Epochs may be raised to train on and threads changed; anything else would be a different trial.
        var a = saved.ToParameters();
        var b = requested.ToParameters();
        var differing = a.Keys.Union(b.Keys)
            .Where(k => k is not ("epochs" or "threads"))
            .Where(k => !Equals(a.GetValueOrDefault(k), b.GetValueOrDefault(k)))
            .Order(StringComparer.Ordinal)
            .ToList();
        if (differing.Count > 0)
        {
            throw new ArgumentException(
                $"the checkpoint belongs to a different trial: parameter(s) {string.Join(", ", differing.Select(k => $"{k} ({a.GetValueOrDefault(k)} vs {b.GetValueOrDefault(k)})"))} differ");
        }
    }
}
