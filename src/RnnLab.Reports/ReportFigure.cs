using ScottPlot;

namespace RnnLab.Reports;

/// <summary>One static figure of a report, drawn with ScottPlot; rendered as PNG (Markdown) or SVG (HTML).</summary>
public sealed class ReportFigure(string name, string caption, Plot plot, int width = 760, int height = 420)
{
    /// <summary>A file-name stem: letters, digits and '-'.</summary>
    public string Name { get; } = name;

    public string Caption { get; } = caption;

    public Plot Plot { get; } = plot;

    public byte[] Png() => Plot.GetImageBytes(width, height, ImageFormat.Png);

    public string Svg() => Plot.GetSvgXml(width, height);
}
