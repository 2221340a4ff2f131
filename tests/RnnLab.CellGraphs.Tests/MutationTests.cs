namespace RnnLab.CellGraphs.Tests;

public sealed class MutationTests
{
    [Theory]
    [InlineData("lstm")]
    [InlineData("gru")]
    [InlineData("lstm-fgr")]
    public void Mutants_are_valid_new_architectures_and_every_operator_occurs(string seed)
    {
        var random = new Random(3);
        var kinds = new HashSet<MutationKind>();
        var graph = BuiltinCellGraphs.Get(seed);
        var hashes = new HashSet<string> { graph.Hash() };
        for (var i = 0; i < 300; i++)
        {
            var (child, kind) = CellGraphMutation.Mutate(graph, random.Next);
            kinds.Add(kind);
            Assert.Empty(CellGraphValidator.Errors(child));
            Assert.NotEqual(graph.Hash(), child.Hash());
            hashes.Add(child.Hash());

            // A chain of mutations wanders away from the seed; restart now and then.
            graph = i % 10 == 9 ? BuiltinCellGraphs.Get(seed) : child;
        }

        Assert.Equal(Enum.GetValues<MutationKind>().Length, kinds.Count);
        Assert.True(hashes.Count > 150, $"only {hashes.Count} distinct architectures in 300 mutations");
    }

    [Fact]
    public void The_same_random_stream_gives_the_same_mutant()
    {
        var gru = BuiltinCellGraphs.Get("gru");
        var a = CellGraphMutation.Mutate(gru, new Random(9).Next);
        var b = CellGraphMutation.Mutate(gru, new Random(9).Next);
        Assert.Equal(a.Graph.Canonical(), b.Graph.Canonical());
        Assert.Equal(a.Kind, b.Kind);
    }

    [Fact]
    public void Pruning_drops_nodes_that_no_output_reads()
    {
        var rnn = BuiltinCellGraphs.Get("rnn-tanh");
        var extra = rnn with { Nodes = [.. rnn.Nodes, new CellNode("lost", CellOp.Sigmoid, ["s"])] };
        Assert.NotEmpty(CellGraphValidator.Errors(extra));
        Assert.Equal(rnn.Nodes.Count, CellGraphMutation.Prune(extra).Nodes.Count);
    }
}
