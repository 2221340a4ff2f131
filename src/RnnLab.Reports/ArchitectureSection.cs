using System.Text;
using RnnLab.CellGraphs;
using RnnLab.Sweeps.Analysis;

namespace RnnLab.Reports;

/// <summary>
/// The report's architecture drawings: for each distinct cell graph among the leaderboard's trials (a sweep of the
/// evolutionary sampler, or any trial that carries a <c>cell_graph</c>), its picture (<see cref="CellGraphSvg"/>), its
/// equations and canonical hash.
/// </summary>
public static class ArchitectureSection
{
    public const string GraphParameter = "cell_graph";

    /// <summary>The leaderboard's best distinct cell graphs (by canonical hash), best first, with the entry each came from.</summary>
    public static IReadOnlyList<(LeaderboardEntry Entry, CellGraph Graph)> Leading(SweepReport report, int limit = 10)
    {
        var byNumber = report.Input.Trials.ToDictionary(t => (long)t.Number);
        var seen = new HashSet<string>();
        var leading = new List<(LeaderboardEntry, CellGraph)>();
        foreach (var entry in report.Analysis.Leaderboard)
        {
            if (leading.Count >= limit || !byNumber.TryGetValue(entry.TrialId, out var trial) ||
                !trial.Parameters.TryGetValue(GraphParameter, out var text))
            {
                continue;
            }

            CellGraph graph;
            try
            {
                graph = CellGraph.Parse(text.AsString());
            }
            catch (CellGraphException)
            {
                continue;
            }

            if (seen.Add(graph.Hash()))
            {
                leading.Add((entry, graph));
            }
        }

        return leading;
    }

    /// <summary>The section: each leading graph's equations, after the Markdown <paramref name="drawing"/> returns
    /// for it (an image of its graph; none when null).</summary>
    public static string Write(SweepReport report, Func<CellGraph, string>? drawing = null)
    {
        var leading = Leading(report);
        var md = new StringBuilder();
        foreach (var (entry, graph) in leading)
        {
            md.Append($"Rank {entry.Rank}, trial {entry.TrialId}, `{MarkdownReport.Escape(graph.Name)}` ({report.Input.Spec.Metric.Name} {Format.Number(entry.Value)}):\n\n");
            if (drawing is not null)
            {
                md.Append(drawing(graph)).Append("\n\n");
            }

            md.Append("```text\n").Append(graph.Equations().Replace("```", "'''", StringComparison.Ordinal)).Append("```\n\n");
        }

        return leading.Count == 0 ? "" : "## Architectures\n\nThe best distinct cell graphs of the leaderboard, drawn and as equations " +
            "(W: learned matrices, b: biases, p: element-wise weights; h, c the previous state, h', c' the next).\n\n" + md;
    }

    /// <summary>The file name of a graph's drawing: by canonical hash, so equal architectures share one.</summary>
    public static string DrawingName(CellGraph graph) => $"architecture-{graph.Hash()}";
}
