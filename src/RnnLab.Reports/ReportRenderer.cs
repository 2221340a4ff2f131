using System.Net;
using System.Text;
using Markdig;
using RnnLab.CellGraphs;

namespace RnnLab.Reports;

/// <summary>The formats a report is written in.</summary>
public enum ReportFormat
{
    /// <summary>One self-contained HTML file, figures inline as SVG.</summary>
    Html,

    /// <summary>A Markdown file plus one PNG per figure (and one SVG per drawn architecture) in a folder beside it.</summary>
    Markdown,
}

/// <summary>One file of a written report; paths are relative to the main document's folder.</summary>
public sealed record ReportFile(string Path, string MediaType, byte[] Content);

/// <summary>Writes a <see cref="SweepReport"/> as files: the main document first, then its figures.</summary>
public static class ReportRenderer
{
    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder().UsePipeTables().UseEmphasisExtras().Build();

    /// <param name="name">The main document's file name without extension (e.g. report); figures go to NAME-figures/.</param>
    public static IReadOnlyList<ReportFile> Render(SweepReport report, ReportFormat format, string name = "report")
    {
        ArgumentNullException.ThrowIfNull(report);
        var figures = ReportFigures.For(report);
        if (format == ReportFormat.Markdown)
        {
            var folder = $"{name}-figures";
            var markdown = MarkdownReport.Write(
                report, figures, f => $"![{MarkdownReport.Escape(f.Name)}]({folder}/{f.Name}.png)",
                g => $"![{MarkdownReport.Escape(g.Name)}]({folder}/{ArchitectureSection.DrawingName(g)}.svg)");
            return [new ReportFile($"{name}.md", "text/markdown; charset=utf-8", Encoding.UTF8.GetBytes(markdown)),
                .. figures.Select(f => new ReportFile($"{folder}/{f.Name}.png", "image/png", f.Png())),
                .. ArchitectureSection.Leading(report).Select(l => new ReportFile(
                    $"{folder}/{ArchitectureSection.DrawingName(l.Graph)}.svg", "image/svg+xml", Encoding.UTF8.GetBytes(CellGraphSvg.Render(l.Graph))))];
        }

        var placeholders = figures.ToDictionary(f => $"FIGURE-{f.Name}", f => f, StringComparer.Ordinal);
        var body = Markdown.ToHtml(
            MarkdownReport.Write(report, figures, f => $"FIGURE-{f.Name}", g => $"FIGURE-{ArchitectureSection.DrawingName(g)}"), Pipeline);
        foreach (var (placeholder, figure) in placeholders)
        {
            body = body.Replace($"<p>{placeholder}</p>", $"<figure>{figure.Svg()}</figure>", StringComparison.Ordinal);
        }

        foreach (var (_, graph) in ArchitectureSection.Leading(report))
        {
            body = body.Replace(
                $"<p>FIGURE-{ArchitectureSection.DrawingName(graph)}</p>", $"<figure>{CellGraphSvg.Render(graph)}</figure>", StringComparison.Ordinal);
        }

        var html = $$"""
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <title>Sweep report: {{WebUtility.HtmlEncode(report.Input.Sweep.Name)}}</title>
            <style>
            body { font-family: system-ui, sans-serif; max-width: 1000px; margin: 2em auto; padding: 0 1em; color: #222; line-height: 1.45; }
            table { border-collapse: collapse; margin: 1em 0; font-size: 0.9em; }
            th, td { border: 1px solid #ccd; padding: 0.25em 0.6em; }
            th { background: #eef2f7; }
            figure { margin: 1em 0; } figure svg { max-width: 100%; height: auto; }
            pre { background: #f5f7fa; padding: 1em; overflow-x: auto; }
            </style>
            </head>
            <body>
            {{body}}
            </body>
            </html>
            """;
        return [new ReportFile($"{name}.html", "text/html; charset=utf-8", Encoding.UTF8.GetBytes(html))];
    }
}
