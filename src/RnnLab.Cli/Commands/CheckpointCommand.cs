using RnnLab.Training;
using Spectre.Console.Cli;

namespace RnnLab.Cli.Commands;

/// <summary>Flags every command that reads a trained model shares.</summary>
public abstract class CheckpointSettings : CommandSettings
{
    public abstract string Checkpoint { get; init; }
}

/// <summary>A command that loads a checkpoint written by <c>rnnlab train</c> and uses its model: a missing file or a
/// checkpoint the command cannot use is an error with exit code 2.</summary>
public abstract class CheckpointCommand<TSettings> : Command<TSettings>
    where TSettings : CheckpointSettings
{
    public sealed override int Execute(CommandContext context, TSettings settings, CancellationToken cancellationToken)
    {
        if (!File.Exists(settings.Checkpoint))
        {
            Console.Error.WriteLine($"error: checkpoint '{settings.Checkpoint}' does not exist");
            return 2;
        }

        try
        {
            using var stream = File.OpenRead(settings.Checkpoint);
            using var model = TrainedModel.Load(stream);
            Run(model, settings);
            return 0;
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidDataException)
        {
            Console.Error.WriteLine($"error: {ex.Message}");
            return 2;
        }
    }

    /// <summary>Uses the loaded model; an <see cref="ArgumentException"/> is reported as the command's error.</summary>
    protected abstract void Run(TrainedModel model, TSettings settings);
}
