using RnnLab.CellGraphs;
using System.ComponentModel;
using RnnLab.Models;
using RnnLab.Training;
using Spectre.Console;
using Spectre.Console.Cli;

namespace RnnLab.Cli.Commands;

/// <summary>Flags of <c>rnnlab train</c>; every trial parameter is optional so that a YAML file or a resumed
/// checkpoint can supply it and a flag overrides it.</summary>
public sealed class TrainSettings : CommandSettings
{
    [CommandOption("--config <FILE>")]
    [Description("YAML file of trial parameters (snake_case names as in a sweep spec; task_options as a map).")]
    public string? ConfigFile { get; init; }

    [CommandOption("--task <NAME_OR_PATH>")]
    [Description("jsb-chorales, tinyshakespeare, adding, copy, cloze, translate, cloze:PATH (fill in the blank on a text), or a path to a .json music file, a .tsv parallel corpus or a text file.")]
    public string? Task { get; init; }

    [CommandOption("-o|--task-option <NAME=VALUE>")]
    [Description("A task option, e.g. length=50 (repeatable).")]
    public string[] TaskOptions { get; init; } = [];

    [CommandOption("--cell <CELL>")]
    [Description("Recurrent cell: rnn-tanh, lstm, lstm-nig, lstm-nfg, lstm-nog, lstm-niaf, lstm-noaf, lstm-np, lstm-cifg, lstm-fgr, gru, mut1, mut2, mut3; or a cell graph file (YAML/JSON, see rnnlab cell show).")]
    public string? Cell { get; init; }

    [CommandOption("--layers <N>")]
    [Description("Recurrent layers (default 1).")]
    public int? Layers { get; init; }

    [CommandOption("--bidirectional")]
    [Description("Run every layer in both directions.")]
    public bool Bidirectional { get; init; }

    [CommandOption("--hidden <N>")]
    [Description("Hidden units per layer and direction (default 64).")]
    public int? Hidden { get; init; }

    [CommandOption("--optimizer <NAME>")]
    [Description("sgd (Nesterov momentum) or adam (default).")]
    public string? Optimizer { get; init; }

    [CommandOption("--lr <RATE>")]
    [Description("Learning rate (default 0.01).")]
    public double? Lr { get; init; }

    [CommandOption("--momentum <M>")]
    [Description("Nesterov momentum for sgd (default 0.9).")]
    public double? Momentum { get; init; }

    [CommandOption("--input-noise <STD>")]
    [Description("Std of Gaussian noise added to inputs while training (default 0).")]
    public double? InputNoise { get; init; }

    [CommandOption("--clip <NORM>")]
    [Description("Clip gradients to this global norm (0 = off).")]
    public double? Clip { get; init; }

    [CommandOption("--forget-bias <B>")]
    [Description("Added to LSTM forget-gate biases (default 0; 1 per Jozefowicz et al.).")]
    public double? ForgetBias { get; init; }

    [CommandOption("--dropout <P>")]
    [Description("Dropout between layers (default 0).")]
    public double? Dropout { get; init; }

    [CommandOption("--batch <N>")]
    [Description("Sequences or text streams per batch (default 16).")]
    public int? Batch { get; init; }

    [CommandOption("--epochs <N>")]
    [Description("Epochs to train (default 10).")]
    public int? Epochs { get; init; }

    [CommandOption("--bptt <STEPS>")]
    [Description("Truncated BPTT length (default 0 = whole sequences; text streams use chunks of 100).")]
    public int? Bptt { get; init; }

    [CommandOption("--init <SCHEME>")]
    [Description("uniform (default), normal, xavier or orthogonal.")]
    public string? Init { get; init; }

    [CommandOption("--init-scale <S>")]
    [Description("Scale of uniform/normal initialisation (default 0.1).")]
    public double? InitScale { get; init; }

    [CommandOption("--patience <EPOCHS>")]
    [Description("Stop after this many epochs without a better validation metric (default 5; 0 = never).")]
    public int? Patience { get; init; }

    [CommandOption("--lr-decay <FACTOR>")]
    [Description("Learning-rate factor on a validation plateau (default 0.5; 1 = off).")]
    public double? LrDecay { get; init; }

    [CommandOption("--lr-patience <EPOCHS>")]
    [Description("Epochs without improvement before the learning rate decays (default 2; 0 = off).")]
    public int? LrPatience { get; init; }

    [CommandOption("--seed <SEED>")]
    [Description("Seed of weights, batch order and noise (default 1).")]
    public long? Seed { get; init; }

    [CommandOption("--threads <N>")]
    [Description("Torch threads (default 1).")]
    public int? Threads { get; init; }

    [CommandOption("--checkpoint <FILE>")]
    [Description("Checkpoint file, written after every epoch and on Ctrl-C (default: <task>-<cell>.ckpt).")]
    public string? Checkpoint { get; init; }

    [CommandOption("--resume")]
    [Description("Continue the trial saved in --checkpoint (flags may raise --epochs or change --threads).")]
    public bool Resume { get; init; }

    [CommandOption("--data-dir <DIR>")]
    [Description("Where built-in datasets are found (default: $RNNLAB_DATA_DIR, else downloaded to a user cache).")]
    public string? DataDirectory { get; init; }

    [CommandOption("--json")]
    [Description("Print only one JSON object with the final metrics at the end.")]
    public bool Json { get; init; }

    public override ValidationResult Validate()
    {
        if (Cell is not null && !CellNames.All.Contains(Cell) && !File.Exists(Cell))
        {
            return ValidationResult.Error($"unknown cell '{Cell}'; valid cells: {string.Join(", ", CellNames.All)}, or a cell graph file");
        }

        if (Optimizer is not null && !TrialConfig.Optimizers.Contains(Optimizer))
        {
            return ValidationResult.Error($"unknown optimizer '{Optimizer}'; valid: {string.Join(", ", TrialConfig.Optimizers)}");
        }

        if (Init is not null && !TrialConfig.InitSchemes.Contains(Init))
        {
            return ValidationResult.Error($"unknown init scheme '{Init}'; valid: {string.Join(", ", TrialConfig.InitSchemes)}");
        }

        if (Resume && Checkpoint is null)
        {
            return ValidationResult.Error("--resume needs --checkpoint <FILE> naming the checkpoint to continue");
        }

        var badOption = TaskOptions.FirstOrDefault(o => o.IndexOf('=') <= 0);
        return badOption is null
            ? ValidationResult.Success()
            : ValidationResult.Error($"--task-option expects NAME=VALUE, got '{badOption}'");
    }

    /// <summary>The trial parameters the flags set explicitly.</summary>
    public Dictionary<string, object?> Parameters()
    {
        var parameters = new Dictionary<string, object?>(StringComparer.Ordinal);
        void Set(string name, object? value)
        {
            if (value is not null)
            {
                parameters[name] = value;
            }
        }

        Set("task", Task);
        if (Cell is not null && !CellNames.All.Contains(Cell))
        {
            Set("cell_graph", File.ReadAllText(Cell));
        }
        else
        {
            Set("cell", Cell);
        }

        Set("layers", (long?)Layers);
        Set("bidirectional", Bidirectional ? true : null);
        Set("hidden", (long?)Hidden);
        Set("optimizer", Optimizer);
        Set("lr", Lr);
        Set("momentum", Momentum);
        Set("input_noise", InputNoise);
        Set("clip", Clip);
        Set("forget_bias", ForgetBias);
        Set("dropout", Dropout);
        Set("batch", (long?)Batch);
        Set("epochs", (long?)Epochs);
        Set("bptt", (long?)Bptt);
        Set("init", Init);
        Set("init_scale", InitScale);
        Set("patience", (long?)Patience);
        Set("lr_decay", LrDecay);
        Set("lr_patience", (long?)LrPatience);
        Set("seed", Seed);
        Set("threads", (long?)Threads);
        foreach (var option in TaskOptions)
        {
            var eq = option.IndexOf('=');
            parameters[TrialConfig.TaskOptionPrefix + option[..eq].Trim()] = option[(eq + 1)..].Trim();
        }

        return parameters;
    }
}
