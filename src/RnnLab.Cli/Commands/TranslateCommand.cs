using RnnLab.Training;
using Spectre.Console.Cli;

namespace RnnLab.Cli.Commands;

/// <summary><c>rnnlab translate</c>: prints a translation model's output for one sentence (greedy or beam search).</summary>
public sealed class TranslateCommand : Command<TranslateSettings>
{
    public override int Execute(CommandContext context, TranslateSettings settings, CancellationToken cancellationToken)
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
            Console.Out.WriteLine(Translator.From(model).Translate(settings.Text, settings.Beam));
            return 0;
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidDataException)
        {
            Console.Error.WriteLine($"error: {ex.Message}");
            return 2;
        }
    }
}
