using RnnLab.Sweeps.Parameters;
using RnnLab.Sweeps.Sampling;
using RnnLab.Sweeps.Space;
using RnnLab.Sweeps.Spec;
using RnnLab.Sweeps.Trials;

namespace RnnLab.Sweeps.Tests.Sampling;

/// <summary>The contract every sampler keeps; each test runs once per sampler type.</summary>
public class SamplerConformanceTests
{
    public static TheoryData<string> Samplers => new() { "grid", "random", "stratified", "sobol", "tpe", "evolution" };

    internal static SweepSpec SpecFor(string sampler, long seed = 7)
    {
        var samplerYaml = sampler switch
        {
            "grid" => "{ type: grid, resolution: 3 }",
            "stratified" => $"{{ type: stratified, by: cell, seed: {seed} }}",
            "tpe" => $"{{ type: tpe, seed: {seed}, startup_trials: 8 }}",
            "evolution" => $"{{ type: evolution, seed: {seed}, population: 8, tournament: 3 }}",
            _ => $"{{ type: {sampler}, seed: {seed} }}",
        };
        // The evolutionary sampler proposes the cell itself (as a graph), so its space has no cell to condition on.
        var evolution = sampler == "evolution";
        var cellLine = evolution ? "" : "cell: { categorical: [rnn-tanh, lstm, gru] }\n    ";
        var biasLine = evolution
            ? "forget_bias: { uniform: [0, 2], when: { optimizer: adam } }"
            : "forget_bias: { uniform: [0, 2], when: { cell: lstm } }";
        return SweepSpec.ParseOrThrow($$"""
            name: conformance
            task: adding
            metric: valid.mse
            fixed: { layers: 1, batch: 32 }
            search:
              sampler: {{samplerYaml}}
              space:
                {{cellLine}}optimizer: { categorical: [sgd, adam] }
                lr: { loguniform: [1.0e-5, 1.0e-1] }
                hidden: { int_log: [16, 256] }
                momentum: { uniform: [0, 0.99], when: { optimizer: sgd } }
                {{biasLine}}
            budget: { trials: 200 }
            """);
    }

    /// <summary>A smooth objective with a known optimum, also defined where conditional parameters are absent.</summary>
    internal static double Objective(ParameterSet parameters)
    {
        var lr = Math.Log10(parameters.GetDouble("lr"));
        var hidden = Math.Log2(parameters.GetLong("hidden"));
        var value = (lr + 2.5) * (lr + 2.5) + 0.3 * (hidden - 7) * (hidden - 7);
        value += parameters.GetString("cell") switch { "lstm" => 0, "gru" => 0.3, _ => 1.5 };
        if (parameters.TryGetValue("momentum", out var momentum))
        {
            value += 4 * (momentum.AsDouble() - 0.8) * (momentum.AsDouble() - 0.8);
        }
        else
        {
            value += 0.5;
        }

        if (parameters.TryGetValue("forget_bias", out var bias))
        {
            value += (bias.AsDouble() - 1) * (bias.AsDouble() - 1);
        }

        return value;
    }

    private static List<ParameterSet> Run(ISampler sampler, int asks, long firstId = 0, List<TrialSnapshot>? told = null)
    {
        var proposals = new List<ParameterSet>();
        for (var i = 0; i < asks; i++)
        {
            var proposal = sampler.Ask();
            if (proposal is null)
            {
                break;
            }

            proposals.Add(proposal);
            var trial = new TrialSnapshot(firstId + i, proposal, TrialState.Completed, Objective(proposal));
            sampler.Tell(trial);
            told?.Add(trial);
        }

        return proposals;
    }

    [Theory]
    [MemberData(nameof(Samplers))]
    public void Proposals_lie_in_the_space_with_only_active_parameters(string type)
    {
        var spec = SpecFor(type);
        var proposals = Run(SamplerFactory.Create(spec), 60);

        Assert.NotEmpty(proposals);
        foreach (var proposal in proposals)
        {
            Assert.Equal(1L, proposal.GetLong("layers"));
            Assert.Equal(32L, proposal.GetLong("batch"));
            foreach (var parameter in spec.Space.Parameters)
            {
                var active = spec.Space.IsActive(parameter, proposal);
                Assert.Equal(active, proposal.ContainsKey(parameter.Name));
                if (active)
                {
                    Assert.True(parameter.Domain.Contains(proposal[parameter.Name]), $"{parameter.Name}={proposal[parameter.Name]}");
                }
            }

            var proposedCell = type == "evolution" ? 2 : 0;
            Assert.Equal(spec.Space.Parameters.Count(parameter => spec.Space.IsActive(parameter, proposal)) + proposedCell, proposal.Count);
            Assert.Equal(proposal.GetString("optimizer") == "sgd", proposal.ContainsKey("momentum"));
            if (type == "evolution")
            {
                Assert.Equal(proposal.GetString("cell"), RnnLab.CellGraphs.CellGraph.Parse(proposal.GetString("cell_graph")).Name);
            }
            else
            {
                Assert.Equal(proposal.GetString("cell") == "lstm", proposal.ContainsKey("forget_bias"));
            }
        }
    }

    [Theory]
    [MemberData(nameof(Samplers))]
    public void The_same_seed_and_results_give_the_same_proposals(string type)
    {
        var first = Run(SamplerFactory.Create(SpecFor(type)), 40);
        var second = Run(SamplerFactory.Create(SpecFor(type)), 40);

        Assert.Equal(first, second);
    }

    [Theory]
    [MemberData(nameof(Samplers))]
    public void Another_seed_gives_other_proposals_except_on_a_grid(string type)
    {
        var first = Run(SamplerFactory.Create(SpecFor(type, seed: 1)), 20);
        var second = Run(SamplerFactory.Create(SpecFor(type, seed: 2)), 20);

        if (type == "grid")
        {
            Assert.Equal(first, second);
        }
        else
        {
            Assert.NotEqual(first, second);
        }
    }

    [Theory]
    [MemberData(nameof(Samplers))]
    public void A_restored_sampler_continues_where_the_original_was(string type)
    {
        var spec = SpecFor(type);
        var original = SamplerFactory.Create(spec);
        var told = new List<TrialSnapshot>();
        Run(original, 20, told: told);

        // Five proposals are still running when the sweep restarts: proposed, not told.
        var running = Enumerable.Range(0, 5).Select(_ => original.Ask()).ToList();
        var expected = Run(original, 15, firstId: 100);

        var stored = told.Concat(running.Select((proposal, i) => new TrialSnapshot(20 + i, proposal!, TrialState.Running, null)));
        var restored = SamplerFactory.Restore(spec, stored);
        Assert.Equal(25, restored.Proposed);
        Assert.Equal(expected, Run(restored, 15, firstId: 100));
        Assert.All(running, Assert.NotNull);
    }

    [Theory]
    [MemberData(nameof(Samplers))]
    public void Tell_order_does_not_change_the_next_proposals(string type)
    {
        var spec = SpecFor(type);
        var source = SamplerFactory.Create(spec);
        var trials = Enumerable.Range(0, 30)
            .Select(i => source.Ask())
            .Select((proposal, i) => new TrialSnapshot(i, proposal!, i % 7 == 3 ? TrialState.Diverged : TrialState.Completed,
                i % 7 == 3 ? null : Objective(proposal!)))
            .ToList();

        var inOrder = SamplerFactory.Restore(spec, trials);
        var shuffled = SamplerFactory.Restore(spec, trials.OrderBy(trial => (trial.Id * 7919) % 31));

        Assert.Equal(Run(inOrder, 10, firstId: 30), Run(shuffled, 10, firstId: 30));
    }
}
