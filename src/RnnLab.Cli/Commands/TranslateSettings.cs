using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;

namespace RnnLab.Cli.Commands;

/// <summary>Arguments and flags of <c>rnnlab translate</c>.</summary>
public sealed class TranslateSettings : CheckpointSettings
{
    /// <summary>The longest text one call translates, as in the Translate RPC.</summary>
    public const int MaxTextLength = 2000;

    /// <summary>The widest beam, as in the Translate RPC.</summary>
    public const int MaxBeamWidth = 16;

    [CommandArgument(0, "<TEXT>")]
    [Description("The sentence to translate.")]
    public string Text { get; init; } = "";

    [CommandOption("-c|--checkpoint <FILE>")]
    [Description("Checkpoint of a translation model (written by rnnlab train on a translate task).")]
    public override string Checkpoint { get; init; } = "";

    [CommandOption("-b|--beam <WIDTH>")]
    [Description("Beam width; 1 is greedy decoding.")]
    [DefaultValue(1)]
    public int Beam { get; init; } = 1;

    public override ValidationResult Validate()
    {
        if (string.IsNullOrWhiteSpace(Checkpoint))
        {
            return ValidationResult.Error("--checkpoint <FILE> is required");
        }

        if (string.IsNullOrWhiteSpace(Text) || Text.Length > MaxTextLength)
        {
            return ValidationResult.Error($"<TEXT> must have 1 to {MaxTextLength} characters, got {Text.Length}");
        }

        return Beam is < 1 or > MaxBeamWidth
            ? ValidationResult.Error($"--beam must be between 1 and {MaxBeamWidth}, got {Beam}")
            : ValidationResult.Success();
    }
}
