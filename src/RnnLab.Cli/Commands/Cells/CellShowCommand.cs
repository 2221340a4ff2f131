using RnnLab.CellGraphs;
using Spectre.Console.Cli;

namespace RnnLab.Cli.Commands.Cells;

/// <summary><c>rnnlab cell show</c>: a cell's equations (or YAML, or canonical form) from its graph.</summary>
public sealed class CellShowCommand : Command<CellShowSettings>
{
    public override int Execute(CommandContext context, CellShowSettings settings, CancellationToken cancellationToken)
    {
        try
        {
            var graph = CellGraphSource.Load(settings.Cell);
            Console.Out.Write(settings.Yaml ? graph.ToYaml() : settings.Canonical ? graph.Canonical() : graph.Equations());
            return 0;
        }
        catch (Exception ex) when (ex is CellGraphException or ArgumentException or IOException)
        {
            Console.Error.WriteLine($"error: {ex.Message}");
            return 2;
        }
    }
}
