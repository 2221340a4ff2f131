using RnnLab.CellGraphs;

namespace RnnLab.Cli.Commands.Cells;

/// <summary>A cell named on the command line: a built-in name or a graph file.</summary>
public static class CellGraphSource
{
    public static CellGraph Load(string cell)
    {
        if (BuiltinCellGraphs.Contains(cell))
        {
            return BuiltinCellGraphs.Get(cell);
        }

        if (!File.Exists(cell))
        {
            throw new ArgumentException($"'{cell}' is neither a built-in cell ({string.Join(", ", BuiltinCellGraphs.Names)}) nor a graph file");
        }

        try
        {
            return CellGraph.Parse(File.ReadAllText(cell));
        }
        catch (CellGraphException e)
        {
            throw new CellGraphException(e.Errors.Select(x => $"{cell}: {x}").ToList());
        }
    }
}
