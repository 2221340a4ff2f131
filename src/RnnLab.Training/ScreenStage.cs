using System.Collections.Immutable;
using System.Diagnostics;
using System.Globalization;
using RnnLab.Tasks;

namespace RnnLab.Training;

/// <summary>
/// The optional cheap first stage of a trial, as in Jozefowicz et al. (2015), where every candidate architecture was
/// first tried on a small problem and only the ones that did well there were trained on the expensive tasks. The
/// trial's own network and hyperparameters are trained for <see cref="TrialConfig.ScreenEpochs"/> on a synthetic task
/// (<c>adding</c> or <c>copy</c>); a candidate whose main validation metric misses
/// <see cref="TrialConfig.ScreenThreshold"/> ends there as pruned, with its screening metric recorded as
/// <c>screen.valid.NAME</c>. Candidates that pass go on to the trial's own task and keep that metric in their results.
/// </summary>
public static class ScreenStage
{
    public const int DefaultLength = 20;
    public const int DefaultSize = 1000;
    public const int DefaultEpochs = 1;
    public const string MetricPrefix = "screen.";

    /// <summary>The synthetic tasks a screen may use: generated from a seed, so a worker reads no file for them.</summary>
    public static IReadOnlyList<string> Tasks { get; } = ["adding", "copy"];

    internal static void Validate(TrialConfig config)
    {
        if (config.ScreenTask is null)
        {
            TrialConfig.Require(config.ScreenThreshold is null, "screen_threshold", "needs screen_task (adding or copy) to screen on");
            return;
        }

        TrialConfig.Require(Tasks.Contains(config.ScreenTask), "screen_task", $"must be one of {string.Join(", ", Tasks)}, got '{config.ScreenTask}'");
        TrialConfig.Require(config.ScreenThreshold is { } t && double.IsFinite(t), "screen_threshold",
            "must be a finite number: the value of the screening task's validation metric a candidate must reach");
        TrialConfig.Require(config.ScreenLength >= 2, "screen_length", $"must be ≥ 2, got {config.ScreenLength}");
        TrialConfig.Require(config.ScreenSize >= 4, "screen_size", $"must be ≥ 4, got {config.ScreenSize}");
        TrialConfig.Require(config.ScreenEpochs >= 1, "screen_epochs", $"must be ≥ 1, got {config.ScreenEpochs}");
        try
        {
            ConfigFor(config).Validate();
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException($"the screening stage on '{config.ScreenTask}': {e.Message}", e);
        }
    }

    /// <summary>The trial's network and hyperparameters on the screening task, without early stopping.</summary>
    public static TrialConfig ConfigFor(TrialConfig config)
    {
        var options = ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, new Dictionary<string, string>
        {
            ["length"] = config.ScreenLength.ToString(CultureInfo.InvariantCulture),
            ["train_size"] = config.ScreenSize.ToString(CultureInfo.InvariantCulture),
            ["eval_size"] = Math.Max(1, config.ScreenSize / 4).ToString(CultureInfo.InvariantCulture),
            ["data_seed"] = config.Seed.ToString(CultureInfo.InvariantCulture),
        });
        return config with
        {
            Task = config.ScreenTask ?? throw new InvalidOperationException("the trial has no screening stage"),
            TaskOptions = options,
            Epochs = config.ScreenEpochs,
            Patience = 0,
            Bptt = 0,
            ScreenTask = null,
            ScreenThreshold = null,
        };
    }

    /// <summary>Runs the screen; a result to end the trial with when the candidate fails (or the run is cancelled),
    /// otherwise null and the screening metric to keep.</summary>
    internal static (TrialResult? Stop, KeyValuePair<string, double> Metric) Run(TrialConfig config, string? dataDirectory, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var screen = ConfigFor(config);
        var task = TaskCatalog.Create(screen.Task, screen.TaskOptions, dataDirectory);
        var primary = task.Metrics[0];
        TrialResult result;
        using (var session = new TrainingSession(screen, task, resume: null))
        {
            result = session.Run(new TrialRunOptions { CheckpointEvery = 0, DataDirectory = dataDirectory }, cancellationToken);
        }

        var name = $"{MetricPrefix}valid.{primary.Name}";
        var value = result.Metrics.GetValueOrDefault($"valid.{primary.Name}", double.NaN);
        var metric = KeyValuePair.Create(name, value);
        if (result.State == RunOutcome.Cancelled)
        {
            return (result with { Metrics = new Dictionary<string, double>(StringComparer.Ordinal), EpochsRun = 0, BestEpoch = 0 }, metric);
        }

        var threshold = config.ScreenThreshold!.Value;
        var passed = double.IsFinite(value) && (primary.LowerIsBetter ? value <= threshold : value >= threshold);
        if (passed)
        {
            return (null, metric);
        }

        var comparison = primary.LowerIsBetter ? "above" : "below";
        var why = result.State == RunOutcome.Diverged
            ? $"screened out: diverged on '{screen.Task}' ({result.Message})"
            : $"screened out: {name} {value.ToString("G4", CultureInfo.InvariantCulture)} is {comparison} the threshold {threshold.ToString("G4", CultureInfo.InvariantCulture)}";
        var metrics = new Dictionary<string, double>(StringComparer.Ordinal);
        if (double.IsFinite(value))
        {
            metrics[name] = value;
        }

        return (new TrialResult(RunOutcome.Pruned, metrics, 0, 0, clock.Elapsed.TotalSeconds, why), metric);
    }
}
