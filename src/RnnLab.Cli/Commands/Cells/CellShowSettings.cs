using System.ComponentModel;
using Spectre.Console.Cli;

namespace RnnLab.Cli.Commands.Cells;

/// <summary>Arguments of <c>rnnlab cell show</c>.</summary>
public sealed class CellShowSettings : CommandSettings
{
    [CommandArgument(0, "<CELL>")]
    [Description("A built-in cell name (lstm, gru, mut1, …) or a cell graph file (YAML or JSON).")]
    public string Cell { get; init; } = "";

    [CommandOption("--yaml")]
    [Description("Print the graph in its YAML form instead of equations.")]
    public bool Yaml { get; init; }

    [CommandOption("--canonical")]
    [Description("Print the canonical form the hash is taken over.")]
    public bool Canonical { get; init; }
}
