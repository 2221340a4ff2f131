namespace RnnLab.CellGraphs.Tests;

public sealed class EquationTests
{
    [Fact]
    public void Lstm_cifg_prints_the_coupled_forget_gate_and_the_cell_update()
    {
        var text = BuiltinCellGraphs.Get("lstm-cifg").Equations();
        Assert.Contains("c' = z ⊙ i + c ⊙ (1 − i)", text);
        Assert.Contains("i  = σ(W_ix·x + b_ix + W_ih·h + p_pi ⊙ c)", text);
        Assert.Contains("o  = σ(W_ox·x + b_ox + W_oh·h + p_po ⊙ c')", text);
        Assert.Contains("h' = hc ⊙ o", text);
    }

    [Fact]
    public void Gru_prints_the_reset_inside_the_candidate_map()
    {
        var text = BuiltinCellGraphs.Get("gru").Equations();
        Assert.Contains("cand = tanh(W_cx·x + b_cx + W_ch·(r ⊙ h))", text);
        Assert.Contains("h'   = z ⊙ h + (1 − z) ⊙ cand", text);
    }

    [Fact]
    public void A_sum_behind_an_identity_keeps_its_brackets_in_a_product()
    {
        var gru = BuiltinCellGraphs.Get("gru");
        var linearCandidate = gru with { Nodes = [.. gru.Nodes.Select(n => n.Name == "cand" ? n with { Op = CellOp.Identity } : n)] };
        Assert.Contains("(1 − z) ⊙ (W_cx·x + b_cx + W_ch·(r ⊙ h))", linearCandidate.Equations());
    }

    [Theory]
    [MemberData(nameof(CanonicalFormTests.Builtins), MemberType = typeof(CanonicalFormTests))]
    public void Every_builtin_prints_one_equation_per_state(string name)
    {
        var g = BuiltinCellGraphs.Get(name);
        var text = g.Equations();
        Assert.All(g.States, s => Assert.Contains($"  {s}'", text));
        Assert.Contains(g.Hash(), text);
    }
}
