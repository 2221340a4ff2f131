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

    // A known target for the tests: graphs score by their distance from 7 nodes; the seeds have 24 and 17.
    private static double Score(CellGraph graph) => Math.Abs(graph.Nodes.Count - 7);

    [Fact]
    public void Architectures_still_running_are_not_proposed_again()
    {
        // No trial has finished, so every proposal is one mutation of the smallest cell: its neighbourhood repeats
        // soon unless the sampler remembers what it has proposed.
        var sampler = SamplerFactory.Create(Spec("{ type: evolution, seed: 3, seeds: [rnn-tanh], mutations: 1 }"));
        var hashes = Enumerable.Range(0, 40).Select(_ => Graph(sampler.Ask()!).Hash()).ToList();

        Assert.Equal(hashes.Count, hashes.Distinct().Count());
    }

    [Fact]
    public void A_sampler_rebuilt_from_the_stored_trials_never_repeats_an_architecture_and_keeps_its_population()
    {
        var spec = Spec();
        var original = SamplerFactory.Create(spec);
        var stored = new List<TrialSnapshot>();
        for (var i = 0; i < 60; i++)
        {
            // Every third trial is still queued or running when the sweep stops: proposed, without a result.
            var proposal = original.Ask()!;
            var trial = i % 3 == 2
                ? new TrialSnapshot(i, proposal, TrialState.Running, null)
                : new TrialSnapshot(i, proposal, TrialState.Completed, Score(Graph(proposal)));
            stored.Add(trial);
            if (trial.IsFinished)
            {
                original.Tell(trial);
            }
        }

        // What the sweep would have proposed next had it not stopped, and what the rebuilt sampler proposes.
        var uninterrupted = Enumerable.Range(0, 40).Select(_ => original.Ask()!).ToList();
        var restored = SamplerFactory.Restore(spec, stored.OrderByDescending(t => t.Id));
        var after = Enumerable.Range(0, 40).Select(_ => restored.Ask()!).ToList();

        Assert.Equal(60, restored.Proposed - 40);
        Assert.Equal(uninterrupted, after);
        var hashes = stored.Select(t => Graph(t.Parameters).Hash()).Concat(after.Select(p => Graph(p).Hash())).ToList();
        Assert.Equal(100, hashes.Distinct().Count());

        // The population came back with the results: the rebuilt sampler mutates the best earlier graphs, where one
        // that learnt only the proposals (no results) can only mutate the seeds again.
        var forgetful = SamplerFactory.Restore(spec, stored.Select(t => t with { State = TrialState.Running, Value = null }));
        var fromSeeds = Enumerable.Range(0, 40).Select(_ => Score(Graph(forgetful.Ask()!))).ToList();
        var fromPopulation = after.Select(p => Score(Graph(p))).ToList();
        var bestBefore = stored.Where(t => t.HasFiniteValue).Min(t => t.Value!.Value);
        Assert.True(fromPopulation.Average() < fromSeeds.Average() / 2,
            $"mean distance after the restart {fromPopulation.Average()}, of mutants of the seeds {fromSeeds.Average()}");
        Assert.True(fromPopulation.Min() <= bestBefore + 2, $"best after the restart {fromPopulation.Min()}, before {bestBefore}");
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
