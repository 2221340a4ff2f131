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
        var markdown = MarkdownReport.Write(SweepReportBuilder.Build(input), [], _ => "");

        Assert.Contains("## Architectures", markdown);
        var best = trials.MinBy(t => t.Objective)!;
        var bestGraph = CellGraph.Parse(best.Parameters.GetString("cell_graph"));
        Assert.Contains(bestGraph.Equations(), markdown);
        Assert.Contains(BuiltinCellGraphs.Get("gru").Equations(), markdown);
    }

    [Fact]
    public void A_sweep_without_graphs_has_no_architecture_section()
    {
        var markdown = MarkdownReport.Write(SweepReportBuilder.Build(SyntheticSweep.Input()), [], _ => "");
        Assert.DoesNotContain("## Architectures", markdown);
    }
}
