using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;

namespace RnnLab.Cli.Commands;

/// <summary>Flags of <c>rnnlab sample</c>.</summary>
public sealed class SampleSettings : CheckpointSettings
{
    [CommandOption("-c|--checkpoint <FILE>")]
    [Description("Checkpoint of a character language model (written by rnnlab train).")]
    public override string Checkpoint { get; init; } = "";

    [CommandOption("-p|--prefix <TEXT>")]
    [Description("Text the model reads before writing (default: a new line).")]
    public string Prefix { get; init; } = "\n";

    [CommandOption("-n|--length <SYMBOLS>")]
    [DefaultValue(500)]
    public int Length { get; init; } = 500;

    [CommandOption("-t|--temperature <T>")]
    [Description("Below 1 is more conservative, above 1 more adventurous; 0 always takes the likeliest symbol.")]
    [DefaultValue(0.8)]
    public double Temperature { get; init; } = 0.8;

    [CommandOption("--seed <SEED>")]
    [DefaultValue(0L)]
    public long Seed { get; init; }

    public override ValidationResult Validate()
    {
        if (string.IsNullOrWhiteSpace(Checkpoint))
        {
            return ValidationResult.Error("--checkpoint <FILE> is required");
        }

        if (Length < 0)
        {
            return ValidationResult.Error($"--length must be ≥ 0, got {Length}");
        }

        return Temperature < 0 || !double.IsFinite(Temperature)
            ? ValidationResult.Error($"--temperature must be ≥ 0, got {Temperature}")
            : ValidationResult.Success();
    }
}
