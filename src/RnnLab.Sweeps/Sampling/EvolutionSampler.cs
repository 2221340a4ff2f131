using RnnLab.CellGraphs;
using RnnLab.Sweeps.Parameters;
using RnnLab.Sweeps.Space;
using RnnLab.Sweeps.Spec;
using RnnLab.Sweeps.Trials;

namespace RnnLab.Sweeps.Sampling;

/// <summary>
/// Evolutionary search over cell graphs, after Jozefowicz et al. (2015). Proposal n is a pure function of n, the
/// finished trials and the architectures proposed before it: the first proposals are the seed cells (LSTM, GRU); later
/// ones take the best <see cref="EvolutionSpec.Population"/> finished graphs, pick the winner of a tournament of
/// <see cref="EvolutionSpec.Tournament"/> random members, and mutate it 1 to <see cref="EvolutionSpec.MaxMutations"/>
/// times into an architecture whose canonical hash no earlier proposal has — finished, running or still queued, and
/// from before a restart too, since <see cref="SamplerFactory.Restore"/> hands every stored trial back. When no new
/// architecture is found near the population the sampler has nothing more to propose rather than repeat one. Every
/// proposal carries <c>cell</c> (the graph's name: a built-in's name or g-HASH) and <c>cell_graph</c> (its YAML);
/// the space's other parameters are drawn at random, as the random sampler does.
/// </summary>
public sealed class EvolutionSampler(SearchSpace space, MetricSpec metric, EvolutionSpec options, long seed) : Sampler(space)
{
    public const string CellParameter = "cell";
    public const string GraphParameter = "cell_graph";
    private const int Attempts = 50;

    // A walk on from the last mutant when no tournament winner gave a new architecture in Attempts tries.
    private const int WalkSteps = 200;

    // Graphs read from trial parameters, by their text, with their canonical hashes.
    private readonly Dictionary<string, (CellGraph Graph, string Hash)> _parsed = [];

    // Canonical hashes of every architecture proposed so far, by this sampler or the one it was restored from.
    private readonly HashSet<string> _proposed = [];

    protected override void OnProposed(ParameterSet proposal)
    {
        if (GraphOf(proposal) is { } known)
        {
            _proposed.Add(known.Hash);
        }
    }

    protected override ParameterSet? Propose(long index)
    {
        var random = new SeededRandom(seed, index);
        var drawn = Space.Build((parameter, _) => parameter.Domain.FromUnit(random.NextDouble()));
        var seedCell = index < options.Seeds.Count ? BuiltinCellGraphs.Get(options.Seeds[(int)index]) : null;
        var graph = seedCell is not null && !_proposed.Contains(seedCell.Hash()) ? seedCell : Child(random);
        if (graph is null)
        {
            return null;
        }

        var values = drawn.Where(p => p.Key is not CellParameter and not GraphParameter)
            .Append(KeyValuePair.Create(CellParameter, ParameterValue.Text(graph.Name)))
            .Append(KeyValuePair.Create(GraphParameter, ParameterValue.Text(graph.ToYaml())));
        return ParameterSet.From(values);
    }

    private CellGraph? Child(SeededRandom random)
    {
        var finished = Told.Select(t => (Trial: t, Known: GraphOf(t.Parameters)))
            .Where(x => x.Known is not null)
            .Select(x => (x.Trial, x.Known!.Value.Graph, x.Known!.Value.Hash))
            .ToList();
        var seen = finished.Select(x => x.Hash)
            .Concat(options.Seeds.Select(s => BuiltinCellGraphs.Get(s).Hash()))
            .Concat(_proposed)
            .ToHashSet();
        var population = finished.Where(x => x.Trial.HasFiniteValue)
            .OrderBy(x => metric.ToLoss(x.Trial.Value!.Value)).ThenBy(x => x.Trial.Id)
            .Take(options.Population).ToList();

        CellGraph Parent()
        {
            if (population.Count == 0)
            {
                return BuiltinCellGraphs.Get(options.Seeds[random.NextInt(options.Seeds.Count)]);
            }

            var best = population[random.NextInt(population.Count)];
            for (var k = 1; k < options.Tournament; k++)
            {
                var rival = population[random.NextInt(population.Count)];
                if (metric.ToLoss(rival.Trial.Value!.Value) < metric.ToLoss(best.Trial.Value!.Value))
                {
                    best = rival;
                }
            }

            return best.Graph;
        }

        CellGraph? last = null;
        for (var attempt = 0; attempt < Attempts; attempt++)
        {
            var child = Parent();
            var mutations = 1 + random.NextInt(options.MaxMutations);
            for (var m = 0; m < mutations; m++)
            {
                child = CellGraphMutation.Mutate(child, random.NextInt).Graph;
            }

            last = Named(child);
            if (!seen.Contains(last.Hash()))
            {
                return last;
            }
        }

        // The population's neighbourhood is used up: walk further from the last mutant; a repeat is never proposed.
        for (var step = 0; step < WalkSteps; step++)
        {
            last = Named(CellGraphMutation.Mutate(last!, random.NextInt).Graph);
            if (!seen.Contains(last.Hash()))
            {
                return last;
            }
        }

        return null;
    }

    private static CellGraph Named(CellGraph graph) => graph with { Name = "g-" + graph.Hash()[..8] };

    private (CellGraph Graph, string Hash)? GraphOf(ParameterSet parameters)
    {
        if (!parameters.TryGetValue(GraphParameter, out var value))
        {
            return null;
        }

        var text = value.AsString();
        if (!_parsed.TryGetValue(text, out var known))
        {
            try
            {
                var graph = CellGraph.Parse(text);
                known = (graph, graph.Hash());
            }
            catch (CellGraphException)
            {
                return null;
            }

            _parsed[text] = known;
        }

        return known;
    }
}
