using System.Globalization;
using System.Text.Json;
using RnnLab.Training;
using Spectre.Console;
using Spectre.Console.Cli;

namespace RnnLab.Cli.Commands;

/// <summary><c>rnnlab train</c>: runs one trial in this process with a live progress bar, prints the metric table,
/// keeps a checkpoint file current, and stops cleanly on Ctrl-C leaving it resumable.</summary>
public sealed class TrainCommand : Command<TrainSettings>
{
    public override int Execute(CommandContext context, TrainSettings settings, CancellationToken cancellationToken)
    {
        TrialConfig config;
        try
        {
            config = BuildConfig(settings);
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidDataException or FileNotFoundException)
        {
            return Fail(ex.Message);
        }

        var checkpointPath = settings.Checkpoint ?? $"{Path.GetFileNameWithoutExtension(config.Task)}-{config.Cell}.ckpt";
        var reports = new List<EpochReport>();
        var options = new TrialRunOptions
        {
            DataDirectory = settings.DataDirectory,
            CheckpointEvery = 1,
            CheckpointSink = checkpoint => Save(checkpoint, checkpointPath),
            ResumeFrom = settings.Resume ? File.OpenRead(checkpointPath) : null,
        };

        TrialResult result;
        try
        {
            result = settings.Json
                ? new TrialRunner().Run(config, options with { OnEpoch = r => Record(reports, r) }, cancellationToken)
                : RunWithProgress(config, options, reports, cancellationToken);
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidDataException or FileNotFoundException)
        {
            return Fail(ex.Message);
        }
        finally
        {
            options.ResumeFrom?.Dispose();
        }

        if (settings.Json)
        {
            Console.Out.WriteLine(Json(config, result, checkpointPath));
        }
        else
        {
            Print(config, result, reports, checkpointPath);
        }

        return result.State switch
        {
            RunOutcome.Cancelled => 130,
            RunOutcome.Diverged => 3,
            _ => 0,
        };
    }

    private static TrialConfig BuildConfig(TrainSettings settings)
    {
        var parameters = new Dictionary<string, object?>(StringComparer.Ordinal);
        if (settings.Resume)
        {
            if (!File.Exists(settings.Checkpoint))
            {
                throw new FileNotFoundException($"cannot resume: checkpoint '{settings.Checkpoint}' does not exist", settings.Checkpoint);
            }

            using var stream = File.OpenRead(settings.Checkpoint!);
            foreach (var (name, value) in TrialCheckpoint.ReadFrom(stream).Config.ToParameters())
            {
                parameters[name] = value;
            }
        }

        if (settings.ConfigFile is not null)
        {
            foreach (var (name, value) in TrialConfigFile.Read(settings.ConfigFile))
            {
                parameters[name] = value;
            }
        }

        foreach (var (name, value) in settings.Parameters())
        {
            parameters[name] = value;
        }

        return TrialConfig.FromParameters(parameters);
    }

    private static TrialResult RunWithProgress(TrialConfig config, TrialRunOptions options, List<EpochReport> reports, CancellationToken cancellationToken)
    {
        AnsiConsole.MarkupLine($"Training [bold]{Markup.Escape(config.Cell)}[/] (hidden {config.Hidden}, {config.Layers} layer(s)) on [bold]{Markup.Escape(config.Task)}[/] for {config.Epochs} epochs. Ctrl-C stops and keeps a resumable checkpoint.");
        TrialResult? result = null;
        AnsiConsole.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .Start(ctx =>
            {
                var bar = ctx.AddTask("epoch 0", maxValue: config.Epochs);
                result = new TrialRunner().Run(config, options with
                {
                    OnEpoch = report =>
                    {
                        reports.Add(report);
                        bar.Value = report.Epoch;
                        bar.Description = Markup.Escape($"epoch {report.Epoch}: {Summary(report.Metrics.Where(m => m.Key.StartsWith("valid.", StringComparison.Ordinal)))}");
                        return EpochDecision.Continue;
                    },
                }, cancellationToken);
                bar.StopTask();
            });
        return result!;
    }

    private static EpochDecision Record(List<EpochReport> reports, EpochReport report)
    {
        reports.Add(report);
        return EpochDecision.Continue;
    }

    private static void Save(TrialCheckpoint checkpoint, string path)
    {
        // Write then rename, so an interrupted write never destroys the previous checkpoint.
        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(directory);
        var partial = path + ".partial";
        using (var file = File.Create(partial))
        {
            checkpoint.WriteTo(file);
        }

        File.Move(partial, path, overwrite: true);
    }

    private static void Print(TrialConfig config, TrialResult result, List<EpochReport> reports, string checkpointPath)
    {
        var epochs = new Table().Title("epochs").AddColumns("epoch", "train loss", "valid", "lr", "seconds", "samples/s");
        foreach (var r in reports)
        {
            epochs.AddRow(
                r.Epoch.ToString(CultureInfo.InvariantCulture),
                Format(r.TrainLoss),
                Markup.Escape(Summary(r.Metrics.Where(m => m.Key.StartsWith("valid.", StringComparison.Ordinal)))),
                r.LearningRate.ToString("g3", CultureInfo.InvariantCulture),
                r.Seconds.ToString("F1", CultureInfo.InvariantCulture),
                r.SamplesPerSecond.ToString("F0", CultureInfo.InvariantCulture));
        }

        if (reports.Count > 0)
        {
            AnsiConsole.Write(epochs);
        }

        AnsiConsole.MarkupLine($"[bold]{result.State}[/]: {result.EpochsRun} epoch(s), best epoch {result.BestEpoch}, {result.Seconds:F1} s");
        var final = new Table().AddColumns("metric", "value");
        foreach (var (name, value) in result.Metrics.OrderBy(m => m.Key, StringComparer.Ordinal))
        {
            final.AddRow(Markup.Escape(name), Format(value));
        }

        AnsiConsole.Write(final);
        if (result.Message is not null)
        {
            AnsiConsole.MarkupLine(Markup.Escape(result.Message));
        }

        AnsiConsole.MarkupLine(result.State == RunOutcome.Cancelled
            ? $"Checkpoint kept in [bold]{Markup.Escape(checkpointPath)}[/]; continue with: rnnlab train --resume --checkpoint {Markup.Escape(checkpointPath)}"
            : $"Checkpoint: [bold]{Markup.Escape(checkpointPath)}[/]");
    }

    private static string Json(TrialConfig config, TrialResult result, string checkpointPath)
    {
        var output = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["state"] = result.State.ToString().ToLowerInvariant(),
            ["task"] = config.Task,
            ["cell"] = config.Cell,
            ["epochs_run"] = result.EpochsRun,
            ["best_epoch"] = result.BestEpoch,
            ["seconds"] = Math.Round(result.Seconds, 3),
            ["checkpoint"] = checkpointPath,
        };
        foreach (var (name, value) in result.Metrics.OrderBy(m => m.Key, StringComparer.Ordinal))
        {
            output[name] = double.IsFinite(value) ? value : null;
        }

        if (result.Message is not null)
        {
            output["message"] = result.Message;
        }

        return JsonSerializer.Serialize(output);
    }

    private static string Summary(IEnumerable<KeyValuePair<string, double>> metrics) =>
        string.Join("  ", metrics.Select(m => $"{m.Key} {Format(m.Value)}"));

    private static string Format(double value) => value.ToString("F4", CultureInfo.InvariantCulture);

    private static int Fail(string message)
    {
        Console.Error.WriteLine($"error: {message}");
        return 2;
    }
}
