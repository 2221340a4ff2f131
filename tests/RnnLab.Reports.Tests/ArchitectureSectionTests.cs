using RnnLab.CellGraphs;
using RnnLab.Sweeps.Sampling;
using RnnLab.Sweeps.Spec;
using RnnLab.Sweeps.Trials;

namespace RnnLab.Reports.Tests;

public sealed class ArchitectureSectionTests
{
    private const string SpecText = """
        name: synthetic-evolution
        task: adding
        metric: { name: valid.mse, direction: minimize }
        search:
          sampler: { type: evolution, seed: 4, population: 6 }
          space:
            lr: { loguniform: [1.0e-3, 1.0e-1] }
        budget: { trials: 12 }
        seed: 4
        """;

    [Fact]
    public void An_evolution_sweeps_report_draws_each_leading_architecture_as_equations()
    {
        var spec = SweepSpec.ParseOrThrow(SpecText);
        var sampler = SamplerFactory.Create(spec);
        var start = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        var trials = new List<ReportTrial>();
        for (var i = 0; i < 12; i++)
        {
            var parameters = sampler.Ask()!;
            var value = 0.01 * CellGraph.Parse(parameters.GetString("cell_graph")).Nodes.Count;
            sampler.Tell(new TrialSnapshot(i, parameters, TrialState.Completed, value));
            trials.Add(new ReportTrial(i, TrialState.Completed, parameters, value, new Dictionary<string, double> { ["valid.mse"] = value }, 5,
                start.AddMinutes(i), start.AddMinutes(i + 1), "worker-a"));
        }

        var input = new ReportInput(new ReportSweep("s-2", spec.Name, "Completed", SpecText, start, start.AddHours(1)), spec, trials, "test machine");
        var report = SweepReportBuilder.Build(input);
        var markdown = MarkdownReport.Write(report, [], _ => "");

        Assert.Contains("## Architectures", markdown);
        var best = trials.MinBy(t => t.Objective)!;
        var bestGraph = CellGraph.Parse(best.Parameters.GetString("cell_graph"));
        Assert.Contains(bestGraph.Equations(), markdown);
        Assert.Contains(BuiltinCellGraphs.Get("gru").Equations(), markdown);

        // Both formats draw each leading architecture: Markdown links one SVG file per graph, HTML has it inline.
        var leading = ArchitectureSection.Leading(report);
        Assert.Equal(leading.Count, leading.Select(l => l.Graph.Hash()).Distinct().Count());
        Assert.Equal(bestGraph.Hash(), leading[0].Graph.Hash());
        var files = ReportRenderer.Render(report, ReportFormat.Markdown, "search");
        var document = System.Text.Encoding.UTF8.GetString(files[0].Content);
        foreach (var (_, graph) in leading)
        {
            var path = $"search-figures/architecture-{graph.Hash()}.svg";
            var drawing = Assert.Single(files, f => f.Path == path);
            Assert.Equal(CellGraphSvg.Render(graph), System.Text.Encoding.UTF8.GetString(drawing.Content));
            Assert.Contains($"]({path})", document);
        }

        var html = System.Text.Encoding.UTF8.GetString(Assert.Single(ReportRenderer.Render(report, ReportFormat.Html)).Content);
        Assert.Contains(CellGraphSvg.Render(bestGraph), html);
        Assert.DoesNotContain("FIGURE-architecture", html);
    }

    [Fact]
    public void A_sweep_without_graphs_has_no_architecture_section()
    {
        var markdown = MarkdownReport.Write(SweepReportBuilder.Build(SyntheticSweep.Input()), [], _ => "");
        Assert.DoesNotContain("## Architectures", markdown);
    }
}
