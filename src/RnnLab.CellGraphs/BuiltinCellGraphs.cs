namespace RnnLab.CellGraphs;

/// <summary>
/// Every built-in cell written as a graph. Node names follow the hand-written kernels' weight blocks
/// (zx, ix, fx, ox: input maps with bias; zh, ih, …: recurrent maps; pi, pf, po: peepholes) so weights can be copied across.
/// </summary>
public static class BuiltinCellGraphs
{
    public static IReadOnlyList<string> Names { get; } =
    [
        "rnn-tanh", "lstm", "lstm-nig", "lstm-nfg", "lstm-nog", "lstm-niaf", "lstm-noaf", "lstm-np", "lstm-cifg", "lstm-fgr",
        "gru", "mut1", "mut2", "mut3",
    ];

    public static bool Contains(string name) => Names.Contains(name);

    public static CellGraph Get(string name) => name switch
    {
        "rnn-tanh" => RnnTanh(),
        "lstm" => Lstm(name),
        "lstm-nig" => Lstm(name, inputGate: false),
        "lstm-nfg" => Lstm(name, forgetGate: false),
        "lstm-nog" => Lstm(name, outputGate: false),
        "lstm-niaf" => Lstm(name, blockActivation: false),
        "lstm-noaf" => Lstm(name, outputActivation: false),
        "lstm-np" => Lstm(name, peepholes: false),
        "lstm-cifg" => Lstm(name, forgetGate: false, coupled: true),
        "lstm-fgr" => Lstm(name, gateRecurrence: true),
        "gru" or "mut1" or "mut2" or "mut3" => GatedUnit(name),
        _ => throw new ArgumentException($"Unknown built-in cell '{name}'. Built-in cells: {string.Join(", ", Names)}.", nameof(name)),
    };

    private static CellGraph RnnTanh()
    {
        var b = new CellGraphBuilder("rnn-tanh", "h");
        var s = b.Node("s", CellOp.Add, b.Linear("wx", "x", bias: true), b.Linear("uh", "h"));
        return b.Output("h", b.Node("hn", CellOp.Tanh, s)).Build();
    }

    // Greff et al.: z = g(Wz x + Rz y + bz); i, f = σ(W x + R y + p ⊙ c + b); c' = z ⊙ i + c ⊙ f; o = σ(… + po ⊙ c'); y' = h(c') ⊙ o.
    private static CellGraph Lstm(
        string name, bool inputGate = true, bool forgetGate = true, bool outputGate = true, bool coupled = false,
        bool peepholes = true, bool blockActivation = true, bool outputActivation = true, bool gateRecurrence = false)
    {
        var gates = new[] { ("i", inputGate), ("f", forgetGate), ("o", outputGate) }.Where(g => g.Item2).Select(g => g.Item1).ToArray();
        var states = gateRecurrence ? new[] { "h", "c" }.Concat(gates.Select(g => "g" + g)).ToArray() : ["h", "c"];
        var b = new CellGraphBuilder(name, states);

        string Gate(string g, string peepholeOn)
        {
            var terms = new List<string> { b.Linear(g + "x", "x", bias: true), b.Linear(g + "h", "h") };
            if (peepholes)
            {
                terms.Add(b.Node("p" + g, CellOp.Scale, peepholeOn));
            }

            if (gateRecurrence)
            {
                terms.AddRange(gates.Select(q => b.Linear($"r{g}{q}", "g" + q)));
            }

            return b.Node(g, CellOp.Sigmoid, b.Node(g + "a", CellOp.Add, [.. terms]));
        }

        var za = b.Node(blockActivation ? "za" : "z", CellOp.Add, b.Linear("zx", "x", bias: true), b.Linear("zh", "h"));
        var z = blockActivation ? b.Node("z", CellOp.Tanh, za) : za;
        var i = inputGate ? Gate("i", "c") : null;
        var f = forgetGate ? Gate("f", "c") : coupled ? b.Node("f", CellOp.OneMinus, i!) : null;
        var write = i is null ? z : b.Node("zi", CellOp.Multiply, z, i);
        var keep = f is null ? "c" : b.Node("cf", CellOp.Multiply, "c", f);
        var c = b.Node("cn", CellOp.Add, write, keep);
        var o = outputGate ? Gate("o", c) : null;
        var hc = outputActivation ? b.Node("hc", CellOp.Tanh, c) : c;
        var y = o is null ? hc : b.Node("y", CellOp.Multiply, hc, o);
        b.Output("h", y).Output("c", c);
        if (gateRecurrence)
        {
            foreach (var g in gates)
            {
                b.Output("g" + g, g);
            }
        }

        return b.Build();
    }

    // GRU as Jozefowicz et al.: z, r = σ(W x + U h + b); ĥ = tanh(W x + U (r ⊙ h) + b); h' = z ⊙ h + (1 − z) ⊙ ĥ.
    // MUT1–3 mix the other way round, h' = (1 − z) ⊙ h + z ⊙ ĥ, and differ in what feeds z, r and ĥ.
    private static CellGraph GatedUnit(string name)
    {
        var b = new CellGraphBuilder(name, "h");
        var mut12 = name is "mut1" or "mut2";
        var x = mut12 ? b.Linear("xp", "x") : "x";

        var zTerms = name switch
        {
            "mut1" => new[] { b.Linear("zx", x, bias: true) },
            "mut3" => [b.Linear("zx", x, bias: true), b.Linear("zh", b.Node("th", CellOp.Tanh, "h"))],
            _ => [b.Linear("zx", x, bias: true), b.Linear("zh", "h")],
        };
        var z = b.Node("z", CellOp.Sigmoid, zTerms.Length == 1 ? zTerms[0] : b.Node("za", CellOp.Add, zTerms));

        var rx = name == "mut2" ? b.Node("rx", CellOp.Bias, x) : b.Linear("rx", x, bias: true);
        var r = b.Node("r", CellOp.Sigmoid, b.Node("ra", CellOp.Add, rx, b.Linear("rh", "h")));

        var cx = name == "mut1" ? b.Node("cx", CellOp.Bias, b.Node("tx", CellOp.Tanh, x)) : b.Linear("cx", x, bias: true);
        var ch = b.Linear("ch", b.Node("rhp", CellOp.Multiply, r, "h"));
        var candidate = b.Node("cand", CellOp.Tanh, b.Node("ca", CellOp.Add, cx, ch));

        var nz = b.Node("nz", CellOp.OneMinus, z);
        var (keepWeight, writeWeight) = name == "gru" ? (z, nz) : (nz, z);
        var hn = b.Node("hn", CellOp.Add, b.Node("keep", CellOp.Multiply, keepWeight, "h"), b.Node("write", CellOp.Multiply, writeWeight, candidate));
        return b.Output("h", hn).Build();
    }
}
