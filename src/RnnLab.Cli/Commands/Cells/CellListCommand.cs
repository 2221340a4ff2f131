using RnnLab.CellGraphs;
using Spectre.Console.Cli;

namespace RnnLab.Cli.Commands.Cells;

/// <summary><c>rnnlab cell list</c>: every built-in cell with its architecture hash.</summary>
public sealed class CellListCommand : Command
{
    public override int Execute(CommandContext context, CancellationToken cancellationToken)
    {
        foreach (var name in BuiltinCellGraphs.Names)
        {
            var g = BuiltinCellGraphs.Get(name);
            Console.Out.WriteLine($"{name,-10} {g.Hash()}  {g.Nodes.Count,3} nodes  state: {string.Join(", ", g.States)}");
        }

        return 0;
    }
}
