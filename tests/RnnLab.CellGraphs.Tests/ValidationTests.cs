namespace RnnLab.CellGraphs.Tests;

public sealed class ValidationTests
{
    private const string Elman = """
        name: elman
        state: [h]
        nodes:
          wx: { op: linear, in: [x], bias: true }
          uh: { op: linear, in: [h] }
          s:  { op: add, in: [wx, uh] }
          hn: { op: tanh, in: [s] }
        outputs: { h: hn }
        """;

    private static string ErrorsOf(string text) =>
        string.Join("\n", Assert.Throws<CellGraphException>(() => CellGraph.Parse(text)).Errors);

    [Fact]
    public void A_well_formed_graph_parses_from_yaml_and_from_json()
    {
        var yaml = CellGraph.Parse(Elman);
        var json = CellGraph.Parse("""
            {"name": "elman", "state": ["h"], "nodes": {"uh": {"op": "linear", "in": ["h"]}, "wx": {"op": "linear", "in": ["x"], "bias": true},
             "s": {"op": "add", "in": ["uh", "wx"]}, "hn": {"op": "tanh", "in": ["s"]}}, "outputs": {"h": "hn"}}
            """);
        Assert.Equal(4, yaml.Nodes.Count);
        Assert.True(yaml.Node("wx")!.HasBias);
        Assert.Equal(yaml.Hash(), json.Hash());
        Assert.Equal(BuiltinCellGraphs.Get("rnn-tanh").Hash(), yaml.Hash());
    }

    [Fact]
    public void A_cycle_is_reported_with_its_loop()
    {
        var errors = ErrorsOf(Elman.Replace("in: [wx, uh]", "in: [wx, hn]"));
        Assert.Contains("cycle", errors);
        Assert.Contains("nodes.", errors);
        Assert.Contains("s → hn → s", errors.Replace("hn → s → hn", "s → hn → s"));
    }

    [Fact]
    public void A_reference_to_nothing_is_named_by_its_path()
    {
        Assert.Contains("nodes.s.in[1]: 'uhh' is not x, a state", ErrorsOf(Elman.Replace("in: [wx, uh]", "in: [wx, uhh]")));
    }

    [Fact]
    public void A_node_no_output_depends_on_is_dangling()
    {
        Assert.Contains("nodes.extra: dangling", ErrorsOf(Elman.Replace("outputs:", "  extra: { op: sigmoid, in: [s] }\noutputs:")));
    }

    [Fact]
    public void Wrong_arity_is_reported()
    {
        Assert.Contains("nodes.hn.in: tanh takes 1 input, got 2", ErrorsOf(Elman.Replace("in: [s] }", "in: [s, s] }")));
        Assert.Contains("nodes.s.in: add takes 2 to 8 inputs, got 1", ErrorsOf(Elman.Replace("in: [wx, uh]", "in: [wx]")));
    }

    [Fact]
    public void An_unused_input_or_state_is_reported()
    {
        Assert.Contains("x: the input is never used", ErrorsOf(Elman.Replace("in: [wx, uh]", "in: [uh, uh]")));
        Assert.Contains("state.c: the previous c is never used", ErrorsOf(Elman.Replace("state: [h]", "state: [h, c]").Replace("{ h: hn }", "{ h: hn, c: s }")));
    }

    [Fact]
    public void A_missing_output_is_reported()
    {
        Assert.Contains("outputs.c: missing", ErrorsOf(Elman.Replace("state: [h]", "state: [h, c]").Replace("in: [h] }", "in: [c] }").Replace("in: [wx, uh]", "in: [wx, uh, h]")));
        Assert.Contains("outputs: expected a mapping", ErrorsOf(Elman.Replace("outputs: { h: hn }", "")));
    }

    [Fact]
    public void An_element_wise_op_on_the_raw_input_is_rejected()
    {
        Assert.Contains("nodes.hn.in[0]: x has the input width", ErrorsOf(Elman.Replace("hn: { op: tanh, in: [s] }", "hn: { op: tanh, in: [x] }")));
    }

    [Fact]
    public void An_unknown_op_and_an_unknown_key_are_reported()
    {
        Assert.Contains("nodes.hn.op: 'softsign' is not an op", ErrorsOf(Elman.Replace("op: tanh", "op: softsign")));
        Assert.Contains("nodes.hn.weight: unknown key", ErrorsOf(Elman.Replace("in: [s] }", "in: [s], weight: 2 }")));
    }
}
