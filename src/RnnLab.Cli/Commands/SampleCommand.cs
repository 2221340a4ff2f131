using RnnLab.Training;

namespace RnnLab.Cli.Commands;

/// <summary><c>rnnlab sample</c>: prints the prefix followed by text the model writes; the same seed gives the same text.</summary>
public sealed class SampleCommand : CheckpointCommand<SampleSettings>
{
    protected override void Run(TrainedModel model, SampleSettings settings)
    {
        var text = TextSampler.From(model).Sample(settings.Prefix, settings.Length, settings.Temperature, settings.Seed);
        Console.Out.Write(settings.Prefix);
        Console.Out.WriteLine(text);
    }
}
