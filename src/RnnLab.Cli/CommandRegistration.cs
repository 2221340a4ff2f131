using RnnLab.Cli.Commands;
using RnnLab.Cli.Commands.Cells;
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
        config.AddBranch("cell", cell =>
        {
            cell.SetDescription("Recurrent cells as graphs: equations, YAML, canonical form and hash.");
            cell.AddCommand<CellShowCommand>("show")
                .WithDescription("Print a built-in cell or a graph file as equations (--yaml, --canonical for the other forms).")
                .WithExample("cell", "show", "lstm-cifg")
                .WithExample("cell", "show", "my-cell.yaml", "--canonical");
            cell.AddCommand<CellListCommand>("list").WithDescription("List the built-in cells with their architecture hashes.");
        });
        return config;
    }
}
