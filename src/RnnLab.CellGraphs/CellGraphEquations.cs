using System.Text;

namespace RnnLab.CellGraphs;

/// <summary>
/// Prints a cell graph as equations, one per nonlinearity, shared node and output; affine maps, sums and products
/// used once are written inline. W_n is the matrix of linear node n, b_n its bias, p_n a learned element-wise weight;
/// h, c are the previous state and h', c' the next.
/// </summary>
public static class CellGraphEquations
{
    public static string Print(CellGraph g)
    {
        var byName = g.Nodes.ToDictionary(n => n.Name);
        var uses = g.Nodes.SelectMany(n => n.Inputs).Concat(g.Outputs.Values).GroupBy(n => n).ToDictionary(x => x.Key, x => x.Count());
        var outputOf = g.Outputs.GroupBy(o => o.Value).ToDictionary(x => x.Key, x => x.First().Key + "'");

        bool OwnLine(CellNode n) =>
            outputOf.ContainsKey(n.Name) || uses.GetValueOrDefault(n.Name) > 1 || n.Op is CellOp.Sigmoid or CellOp.Tanh or CellOp.Relu;

        string Label(CellNode n) => outputOf.TryGetValue(n.Name, out var o) ? o : n.Name;

        string Ref(string name) =>
            g.IsSource(name) ? name : OwnLine(byName[name]) ? Label(byName[name]) : Expression(byName[name]);

        // Wraps a reference that is a sum or difference when it sits inside a product.
        string Factor(string name, bool wrapProducts = false)
        {
            var text = Ref(name);
            var inline = !g.IsSource(name) && !OwnLine(byName[name]);

            // An inline identity prints as its input, so its input decides the brackets.
            while (inline && byName[name].Op == CellOp.Identity)
            {
                name = byName[name].Inputs[0];
                inline = !g.IsSource(name) && !OwnLine(byName[name]);
            }

            var op = inline ? byName[name].Op : CellOp.Identity;
            return op is CellOp.Add or CellOp.Subtract or CellOp.Linear or CellOp.Bias or CellOp.OneMinus || wrapProducts && op is CellOp.Multiply or CellOp.Scale
                ? $"({text})"
                : text;
        }

        string Expression(CellNode n)
        {
            var a = n.Inputs;
            return n.Op switch
            {
                CellOp.Linear => $"W_{n.Name}·{Factor(a[0], wrapProducts: true)}" + (n.HasBias ? $" + b_{n.Name}" : ""),
                CellOp.Scale => $"p_{n.Name} ⊙ {Factor(a[0])}",
                CellOp.Bias => $"{Ref(a[0])} + b_{n.Name}",
                CellOp.Sigmoid => $"σ({Ref(a[0])})",
                CellOp.Tanh => $"tanh({Ref(a[0])})",
                CellOp.Relu => $"relu({Ref(a[0])})",
                CellOp.Identity => Ref(a[0]),
                CellOp.Add => string.Join(" + ", a.Select(Ref)),
                CellOp.Subtract => $"{Ref(a[0])} − {Factor(a[1])}",
                CellOp.Multiply => $"{Factor(a[0])} ⊙ {Factor(a[1])}",
                CellOp.OneMinus => $"1 − {Factor(a[0])}",
                _ => throw new InvalidOperationException($"unknown op {n.Op}"),
            };
        }

        var sb = new StringBuilder();
        sb.AppendLine($"{g.Name}  (state: {string.Join(", ", g.States)}; hash {g.Hash()})");
        var width = g.TopologicalOrder().Where(OwnLine).Select(n => Label(n).Length).DefaultIfEmpty(1).Max();
        foreach (var n in g.TopologicalOrder().Where(OwnLine))
        {
            sb.Append("  ").Append(Label(n).PadRight(width)).Append(" = ").AppendLine(Expression(n));
        }

        return sb.ToString();
    }
}
