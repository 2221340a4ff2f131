using RnnLab.CellGraphs;
namespace RnnLab.Models.Cells;

/// <summary>Builds a cell from its name.</summary>
public static class CellFactory
{
    public static RecurrentCell Create(string cell, CellOptions options)
    {
        CellNames.Validate(cell);
        if (CellNames.IsLstmFamily(cell))
        {
            return new LstmCell(cell, options);
        }

        return cell == CellNames.RnnTanh ? new RnnTanhCell(options) : new GatedUnitCell(cell, options);
    }
}
