using RnnLab.CellGraphs;
using RnnLab.Sweeps.Sampling;
using RnnLab.Sweeps.Spec;

namespace RnnLab.Sweeps.Tests.Spec;

public sealed class CellGraphSpecTests
{
    private static string Spec(string graphs) => $$"""
        name: graphs
        task: adding
        metric: valid.mse
        search:
          sampler: { type: random, seed: 1 }
          space:
            cell_graph: { categorical: [{{graphs}}] }
        budget: { trials: 4 }
        """;

    private static string Inline(CellGraph g) => "\"" + g.ToYaml().Replace("\n", "\\n") + "\"";

    [Fact]
    public void A_spec_may_search_over_inline_graphs_and_each_trial_carries_its_graph()
    {
        var gru = BuiltinCellGraphs.Get("gru");
        var mut3 = BuiltinCellGraphs.Get("mut3");
        var spec = SweepSpec.ParseOrThrow(Spec($"{Inline(gru)}, {Inline(mut3)}"));
        var sampler = SamplerFactory.Create(spec);
        var hashes = Enumerable.Range(0, 8).Select(_ => CellGraph.Parse(sampler.Ask()!.GetString("cell_graph")).Hash()).ToHashSet();
        Assert.Equal(new[] { gru.Hash(), mut3.Hash() }.ToHashSet(), hashes);
    }

    [Fact]
    public void A_graph_may_carry_a_built_in_cells_name_only_when_it_is_that_cell()
    {
        var gru = BuiltinCellGraphs.Get("gru");
        var impostor = BuiltinCellGraphs.Get("mut1") with { Name = "gru" };

        Assert.True(SweepSpec.Parse(Spec(Inline(gru))).IsValid);
        var result = SweepSpec.Parse(Spec(Inline(impostor)));

        Assert.Null(result.Spec);
        var errors = string.Join("\n", result.Errors.Select(e => e.ToString()));
        Assert.Contains("search.space.cell_graph", errors);
        Assert.Contains($"is named 'gru' like the built-in cell, but it is another architecture (hash {impostor.Hash()}", errors);
    }

    [Fact]
    public void A_broken_inline_graph_is_refused_with_the_graphs_own_path()
    {
        var broken = BuiltinCellGraphs.Get("rnn-tanh").ToYaml().Replace("in: [wx, uh]", "in: [wx, nothing]");
        var result = SweepSpec.Parse(Spec("\"" + broken.Replace("\n", "\\n") + "\""));
        Assert.Null(result.Spec);
        var errors = string.Join("\n", result.Errors.Select(e => e.ToString()));
        Assert.Contains("search.space.cell_graph", errors);
        Assert.Contains("nodes.s.in[1]: 'nothing' is not x", errors);
    }
}
