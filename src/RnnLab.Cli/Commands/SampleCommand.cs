using RnnLab.Training;
using Spectre.Console.Cli;

namespace RnnLab.Cli.Commands;

/// <summary><c>rnnlab sample</c>: prints the prefix followed by text the model writes; the same seed gives the same text.</summary>
public sealed class SampleCommand : Command<SampleSettings>
{
    public override int Execute(CommandContext context, SampleSettings settings, CancellationToken cancellationToken)
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
            var text = TextSampler.From(model).Sample(settings.Prefix, settings.Length, settings.Temperature, settings.Seed);
            Console.Out.Write(settings.Prefix);
            Console.Out.WriteLine(text);
            return 0;
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidDataException)
        {
            Console.Error.WriteLine($"error: {ex.Message}");
            return 2;
        }
    }
}
