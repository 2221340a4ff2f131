using RnnLab.Cli.Commands;
using Spectre.Console.Cli;

namespace RnnLab.Cli;

/// <summary>Registers the commands that run in this process (no server needed).</summary>
public static class CommandRegistration
{
    public static IConfigurator AddLocalCommands(this IConfigurator config)
    {
        config.AddCommand<TrainCommand>("train")
            .WithDescription("Train one model in this process: live progress, a metric table and a resumable checkpoint.")
            .WithExample("train", "--task", "jsb-chorales", "--cell", "lstm", "--hidden", "64", "--epochs", "3")
            .WithExample("train", "--config", "trial.yaml")
            .WithExample("train", "--resume", "--checkpoint", "jsb-chorales-lstm.ckpt", "--epochs", "20");
        config.AddCommand<SampleCommand>("sample")
            .WithDescription("Generate text with a trained character language model.")
            .WithExample("sample", "--checkpoint", "tinyshakespeare-lstm.ckpt", "--prefix", "ROMEO:", "--length", "500", "--temperature", "0.8");
        config.AddCommand<TranslateCommand>("translate")
            .WithDescription("Translate a sentence with a trained translation (encoder-decoder) model.")
            .WithExample("translate", "--checkpoint", "translate-gru.ckpt", "\"four thousand two hundred seven\"")
            .WithExample("translate", "--checkpoint", "translate-gru.ckpt", "--beam", "4", "\"march 5, 1998\"");
        return config;
    }
}
