using RnnLab.CellGraphs;
using RnnLab.Sweeps.Parameters;
using RnnLab.Sweeps.Sampling;
using RnnLab.Sweeps.Spec;
using RnnLab.Sweeps.Trials;

namespace RnnLab.Sweeps.Tests.Sampling;

public sealed class EvolutionSamplerTests
{
    private static SweepSpec Spec(string sampler = "{ type: evolution, seed: 3, population: 10, tournament: 3 }") => SweepSpec.ParseOrThrow($$"""
        name: evolution
        task: adding
        metric: valid.mse
        fixed: { hidden: 16 }
        search:
          sampler: {{sampler}}
          space:
            lr: { loguniform: [1.0e-3, 1.0e-1] }
        budget: { trials: 300 }
        """);

    private static CellGraph Graph(ParameterSet proposal) => CellGraph.Parse(proposal.GetString("cell_graph"));

    [Fact]
    public void The_first_proposals_are_the_seed_cells()
    {
        var sampler = SamplerFactory.Create(Spec());
        var first = sampler.Ask()!;
        var second = sampler.Ask()!;
        Assert.Equal("lstm", first.GetString("cell"));
        Assert.Equal(BuiltinCellGraphs.Get("lstm").Hash(), Graph(first).Hash());
        Assert.Equal("gru", second.GetString("cell"));
        Assert.Equal(BuiltinCellGraphs.Get("gru").Hash(), Graph(second).Hash());
        Assert.StartsWith("g-", sampler.Ask()!.GetString("cell"));
    }

    [Fact]
    public void Selection_finds_better_graphs_than_a_walk_without_selection_and_never_repeats_an_architecture()
    {
        // A known target: graphs score by their distance from 7 nodes; the seeds have 24 and 17.
        static double Score(CellGraph g) => Math.Abs(g.Nodes.Count - 7);
        (List<double> Scores, List<string> Hashes) Search(bool select)
        {
            var sampler = SamplerFactory.Create(Spec());
            var hashes = new List<string>();
            var scores = new List<double>();
            for (var i = 0; i < 100; i++)
            {
                var proposal = sampler.Ask()!;
                var graph = Graph(proposal);
                Assert.Equal(proposal.GetString("cell"), graph.Name);
                hashes.Add(graph.Hash());
                scores.Add(Score(graph));

                // Without selection every trial reports the same value, so the tournament has nothing to go on.
                sampler.Tell(new TrialSnapshot(i, proposal, TrialState.Completed, select ? Score(graph) : 1.0));
            }

            return (scores, hashes);
        }

        var selected = Search(select: true);
        var blind = Search(select: false);
        Assert.Equal(selected.Hashes.Count, selected.Hashes.Distinct().Count());
        var late = selected.Scores.Skip(50).Average();
        var blindLate = blind.Scores.Skip(50).Average();
        Assert.True(late < blindLate, $"late mean distance with selection {late}, without {blindLate}");
        Assert.True(late < 3, $"late mean distance with selection {late}");
    }

    [Fact]
    public void Sampler_settings_are_checked_with_their_paths()
    {
        var bad = SweepSpec.Parse("""
            name: evolution
            task: adding
            metric: valid.mse
            search:
              sampler: { type: evolution, seeds: [lstm, nope], population: 0 }
              space:
                lr: { loguniform: [1.0e-3, 1.0e-1] }
            budget: { trials: 10 }
            """);
        var errors = string.Join("\n", bad.Errors.Select(e => e.ToString()));
        Assert.Contains("search.sampler.seeds[1]", errors);
        Assert.Contains("search.sampler.population", errors);

        var misplaced = SweepSpec.Parse("""
            name: random
            task: adding
            metric: valid.mse
            search:
              sampler: { type: random, tournament: 3 }
              space:
                lr: { loguniform: [1.0e-3, 1.0e-1] }
            budget: { trials: 10 }
            """);
        Assert.Contains(misplaced.Errors, e => e.ToString().Contains("search.sampler.tournament") && e.ToString().Contains("evolution"));
    }
}
