using System.Security.Cryptography;
using System.Text;

namespace RnnLab.CellGraphs;

/// <summary>
/// The canonical form of a cell graph: identity nodes (and a relu of a σ or relu) dropped, nested sums flattened, inputs of add and multiply
/// ordered by the structure below them, equal parameter-free subexpressions merged, nodes renamed n0, n1, … in the
/// order a walk from the outputs meets them, states renamed s0 (h), s1, … by declaration order. Learned nodes are
/// never merged: two affine maps of the same input have their own weights.
/// </summary>
public static class CellGraphCanonical
{
    public static string Hash(CellGraph g) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Text(g))))[..16];

    public static string Text(CellGraph g)
    {
        g = g.Validated();
        var byName = g.Nodes.ToDictionary(n => n.Name);
        var structure = new Dictionary<string, string>();

        // Identities pass their input through; so does a relu of a value that is never negative (σ, relu).
        string Resolve(string name)
        {
            while (byName.TryGetValue(name, out var n))
            {
                if (n.Op == CellOp.Identity ||
                    n.Op == CellOp.Relu && byName.TryGetValue(Resolve(n.Inputs[0]), out var inner) && inner.Op is CellOp.Sigmoid or CellOp.Relu)
                {
                    name = n.Inputs[0];
                    continue;
                }

                break;
            }

            return name;
        }

        string Source(string name) => name == CellGraph.Input ? "x" : $"s{g.States.ToList().IndexOf(name)}";

        List<string> Children(CellNode n)
        {
            var children = new List<string>();
            foreach (var i in n.Inputs.Select(Resolve))
            {
                if (n.Op == CellOp.Add && byName.TryGetValue(i, out var inner) && inner.Op == CellOp.Add)
                {
                    children.AddRange(Children(inner));
                }
                else
                {
                    children.Add(i);
                }
            }

            return children;
        }

        string Op(CellNode n) => CellOps.Name(n.Op) + (n.HasBias ? "+b" : "");

        // A Merkle digest of the tree under each node, used only to order inputs of commutative ops.
        string Structure(string name)
        {
            if (g.IsSource(name))
            {
                return Source(name);
            }

            if (structure.TryGetValue(name, out var s))
            {
                return s;
            }

            var n = byName[name];
            var parts = Children(n).Select(Structure);
            if (CellOps.IsCommutative(n.Op))
            {
                parts = parts.Order(StringComparer.Ordinal);
            }

            var digest = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{Op(n)}({string.Join(",", parts)})")))[..16];
            structure[name] = digest;
            return digest;
        }

        var lines = new List<string>();
        var idOfLearned = new Dictionary<string, string>();
        var idOfPure = new Dictionary<string, string>();
        var idOfNode = new Dictionary<string, string>();

        string Emit(string name)
        {
            if (g.IsSource(name))
            {
                return Source(name);
            }

            if (idOfNode.TryGetValue(name, out var known))
            {
                return known;
            }

            var n = byName[name];
            var children = Children(n);
            if (CellOps.IsCommutative(n.Op))
            {
                children = children.OrderBy(Structure, StringComparer.Ordinal).ToList();
            }

            var ids = children.Select(Emit).ToList();
            var expression = $"{Op(n)}({string.Join(", ", ids)})";
            string id;
            if (CellOps.IsLearned(n.Op))
            {
                id = $"n{lines.Count}";
                idOfLearned[name] = id;
                lines.Add($"{id} = {expression}");
            }
            else if (!idOfPure.TryGetValue(expression, out id!))
            {
                id = $"n{lines.Count}";
                idOfPure[expression] = id;
                lines.Add($"{id} = {expression}");
            }

            idOfNode[name] = id;
            return id;
        }

        var outputs = g.States.Select((s, k) => $"s{k}' = {Emit(Resolve(g.Outputs[s]))}").ToList();
        return string.Join("\n", lines.Concat(outputs)) + "\n";
    }
}
