namespace RnnLab.CellGraphs.Tests;

public sealed class CanonicalFormTests
{
    public static TheoryData<string> Builtins() => new(BuiltinCellGraphs.Names);

    [Theory]
    [MemberData(nameof(Builtins))]
    public void Every_builtin_round_trips_through_yaml_with_the_same_hash(string name)
    {
        var g = BuiltinCellGraphs.Get(name);
        var back = CellGraph.Parse(g.ToYaml());
        Assert.Equal(g.Canonical(), back.Canonical());
        Assert.Equal(g.Hash(), back.Hash());
    }

    [Fact]
    public void The_builtins_are_fourteen_different_architectures()
    {
        Assert.Equal(14, BuiltinCellGraphs.Names.Select(n => BuiltinCellGraphs.Get(n).Hash()).Distinct().Count());
    }

    [Fact]
    public void Renaming_reordering_commuting_and_identity_nodes_keep_the_hash()
    {
        var gru = BuiltinCellGraphs.Get("gru");
        var renamed = Rename(gru, n => "q_" + n);
        var reordered = gru with { Nodes = gru.Nodes.Reverse().ToList() };
        var commuted = gru with { Nodes = gru.Nodes.Select(n => n.Op is CellOp.Add or CellOp.Multiply ? n with { Inputs = n.Inputs.Reverse().ToList() } : n).ToList() };
        var withIdentity = gru with
        {
            Nodes = [.. gru.Nodes.Select(n => n.Name == "hn" ? n with { Name = "hn0" } : n), new CellNode("hn", CellOp.Identity, ["hn0"])],
        };
        var nested = gru with
        {
            Nodes = [.. gru.Nodes.Where(n => n.Name != "hn"), new CellNode("part", CellOp.Add, ["keep", "write"]), new CellNode("hn", CellOp.Identity, ["part"])],
        };
        var hash = gru.Hash();
        Assert.All(new[] { renamed, reordered, commuted, withIdentity, nested }, g => Assert.Equal(hash, g.Hash()));
    }

    [Fact]
    public void A_duplicated_parameter_free_node_is_merged_but_a_duplicated_learned_map_is_not()
    {
        var gru = BuiltinCellGraphs.Get("gru");
        // tanh(s) ⊙ tanh(s) through one node or through two equal nodes: same architecture.
        var rnn0 = BuiltinCellGraphs.Get("rnn-tanh");
        var once = rnn0 with { Nodes = [.. rnn0.Nodes, new CellNode("m", CellOp.Multiply, ["hn", "hn"])], Outputs = new Dictionary<string, string> { ["h"] = "m" } };
        var twice = once with { Nodes = [.. rnn0.Nodes, new CellNode("hn2", CellOp.Tanh, ["s"]), new CellNode("m", CellOp.Multiply, ["hn", "hn2"])] };
        Assert.Equal(once.Hash(), twice.Hash());
        Assert.NotEqual(rnn0.Hash(), once.Hash());

        // Two recurrent maps for r and z instead of one shared map: different weights, different architecture.
        var rnn = BuiltinCellGraphs.Get("rnn-tanh");
        var shared = rnn with { Nodes = [.. rnn.Nodes.Select(n => n.Name == "s" ? n with { Inputs = ["wx", "uh", "uh"] } : n)] };
        var separate = rnn with { Nodes = [.. rnn.Nodes.Select(n => n.Name == "s" ? n with { Inputs = ["wx", "uh", "uh2"] } : n), new CellNode("uh2", CellOp.Linear, ["h"])] };
        Assert.NotEqual(shared.Hash(), separate.Hash());
    }

    [Fact]
    public void A_relu_of_a_non_negative_value_is_the_value_itself()
    {
        var gru = BuiltinCellGraphs.Get("gru");
        var reluOfGate = gru with { Nodes = [.. gru.Nodes.Select(n => n.Name == "keep" ? n with { Inputs = ["rz", "h"] } : n), new CellNode("rz", CellOp.Relu, ["z"])] };
        var reluOfRelu = reluOfGate with { Nodes = [.. reluOfGate.Nodes.Select(n => n.Name == "keep" ? n with { Inputs = ["rrz", "h"] } : n), new CellNode("rrz", CellOp.Relu, ["rz"])] };
        var reluOfTanh = gru with { Nodes = [.. gru.Nodes.Select(n => n.Name == "write" ? n with { Inputs = ["nz", "rc"] } : n), new CellNode("rc", CellOp.Relu, ["cand"])] };
        Assert.Equal(gru.Hash(), reluOfGate.Hash());
        Assert.Equal(gru.Hash(), reluOfRelu.Hash());
        Assert.NotEqual(gru.Hash(), reluOfTanh.Hash());
    }

    [Fact]
    public void Changing_an_op_or_the_order_of_a_difference_changes_the_hash()
    {
        var rnn = BuiltinCellGraphs.Get("rnn-tanh");
        var relu = rnn with { Nodes = [.. rnn.Nodes.Select(n => n.Name == "hn" ? n with { Op = CellOp.Relu } : n)] };
        var diff = rnn with { Nodes = [.. rnn.Nodes.Select(n => n.Name == "s" ? n with { Op = CellOp.Subtract } : n)] };
        var diffSwapped = rnn with { Nodes = [.. rnn.Nodes.Select(n => n.Name == "s" ? n with { Op = CellOp.Subtract, Inputs = ["uh", "wx"] } : n)] };
        Assert.Equal(4, new[] { rnn, relu, diff, diffSwapped }.Select(g => g.Hash()).Distinct().Count());
    }

    private static CellGraph Rename(CellGraph g, Func<string, string> rename)
    {
        string R(string n) => g.IsSource(n) ? n : rename(n);
        return g with
        {
            Nodes = g.Nodes.Select(n => n with { Name = R(n.Name), Inputs = n.Inputs.Select(R).ToList() }).ToList(),
            Outputs = g.Outputs.ToDictionary(o => o.Key, o => R(o.Value)),
        };
    }
}
