using RnnLab.Training;

namespace RnnLab.Cli.Commands;

/// <summary><c>rnnlab translate</c>: prints a translation model's output for one sentence (greedy or beam search).</summary>
public sealed class TranslateCommand : CheckpointCommand<TranslateSettings>
{
    protected override void Run(TrainedModel model, TranslateSettings settings) =>
        Console.Out.WriteLine(Translator.From(model).Translate(settings.Text, settings.Beam));
}
