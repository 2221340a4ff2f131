using System.Text;
using RnnLab.CellGraphs;

namespace RnnLab.Reports;

/// <summary>
/// The report's architecture drawings: for each distinct cell graph among the leaderboard's trials (a sweep of the
/// evolutionary sampler, or any trial that carries a <c>cell_graph</c>), its equations and canonical hash.
/// </summary>
public static class ArchitectureSection
{
    public const string GraphParameter = "cell_graph";

    public static string Write(SweepReport report, int limit = 10)
    {
        var byNumber = report.Input.Trials.ToDictionary(t => (long)t.Number);
        var seen = new HashSet<string>();
        var md = new StringBuilder();
        foreach (var entry in report.Analysis.Leaderboard)
        {
            if (seen.Count >= limit || !byNumber.TryGetValue(entry.TrialId, out var trial) ||
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

            if (!seen.Add(graph.Hash()))
            {
                continue;
            }

            md.Append($"Rank {entry.Rank}, trial {entry.TrialId}, `{MarkdownReport.Escape(graph.Name)}` ({report.Input.Spec.Metric.Name} {Format.Number(entry.Value)}):\n\n");
            md.Append("```text\n").Append(graph.Equations().Replace("```", "'''", StringComparison.Ordinal)).Append("```\n\n");
        }

        return seen.Count == 0 ? "" : "## Architectures\n\nThe best distinct cell graphs of the leaderboard, as equations " +
            "(W: learned matrices, b: biases, p: element-wise weights; h, c the previous state, h', c' the next).\n\n" + md;
    }
}
