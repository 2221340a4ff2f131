namespace RnnLab.Dashboard.Components.Charts;

/// <summary>One colour per cell, the same on every chart of a page.</summary>
internal sealed class Palette
{
    private static readonly string[] Colours =
    [
        "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2",
        "#7f7f7f", "#bcbd22", "#17becf", "#393b79", "#637939", "#8c6d31", "#843c39",
    ];

    private readonly Dictionary<string, string> _byCell;

    public Palette(IEnumerable<string> cells) =>
        _byCell = cells.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)
            .Select((cell, i) => (cell, colour: Colours[i % Colours.Length]))
            .ToDictionary(p => p.cell, p => p.colour, StringComparer.Ordinal);

    public string Of(string cell) => _byCell.GetValueOrDefault(cell, "#444444");
}
