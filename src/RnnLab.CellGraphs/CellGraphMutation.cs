namespace RnnLab.CellGraphs;

/// <summary>The ways <see cref="CellGraphMutation"/> changes a graph.</summary>
public enum MutationKind
{
    /// <summary>An activation becomes another (sigmoid, tanh, relu, identity).</summary>
    ReplaceActivation,

    /// <summary>A two-input add, subtract or multiply becomes another of the three.</summary>
    ReplaceBinary,

    /// <summary>An edge a → n gets an activation between: n reads act(a).</summary>
    InsertActivation,

    /// <summary>An edge a → n gets a binary op with another node or state: n reads op(a, s).</summary>
    InsertBinary,

    /// <summary>An edge a → n gets a new learned affine map: n reads W·a.</summary>
    InsertLinear,

    /// <summary>A parameter-free node is removed; its readers read one of its inputs instead.</summary>
    RemoveNode,

    /// <summary>An edge is moved to read another node or state.</summary>
    Rewire,
}

/// <summary>
/// Random structural changes of a cell graph, after the node and edge mutations of Jozefowicz et al. (2015):
/// swap an element-wise op, insert or remove a node, move an edge. Results are pruned of dangling nodes and
/// always valid; a mutation that cannot apply or yields an invalid graph is retried.
/// </summary>
public static class CellGraphMutation
{
    private static readonly CellOp[] Binary = [CellOp.Add, CellOp.Subtract, CellOp.Multiply];

    /// <summary>One mutation of <paramref name="graph"/>; <paramref name="next"/>(n) returns a uniform integer in [0, n).</summary>
    public static (CellGraph Graph, MutationKind Kind) Mutate(CellGraph graph, Func<int, int> next, int attempts = 64)
    {
        var kinds = Enum.GetValues<MutationKind>();
        for (var a = 0; a < attempts; a++)
        {
            var kind = kinds[next(kinds.Length)];
            var nodes = Apply(graph, kind, next);
            if (nodes is null)
            {
                continue;
            }

            var candidate = Prune(graph with { Nodes = nodes });
            if (CellGraphValidator.Errors(candidate).Count == 0 && candidate.Hash() != graph.Hash())
            {
                return (candidate, kind);
            }
        }

        throw new InvalidOperationException($"no valid mutation of '{graph.Name}' found in {attempts} attempts");
    }

    private static List<CellNode>? Apply(CellGraph g, MutationKind kind, Func<int, int> next)
    {
        var nodes = g.Nodes.ToList();
        T Pick<T>(IReadOnlyList<T> items) => items[next(items.Count)];
        var edges = nodes.SelectMany((n, i) => n.Inputs.Select((input, k) => (Node: i, Slot: k, Input: input)))
            .Where(e => e.Input != CellGraph.Input).ToList();
        string Fresh(string stem)
        {
            var k = 0;
            while (nodes.Any(n => n.Name == $"{stem}{k}") || g.IsSource($"{stem}{k}"))
            {
                k++;
            }

            return $"{stem}{k}";
        }

        List<CellNode> Rewired(int node, int slot, string input)
        {
            var n = nodes[node];
            var inputs = n.Inputs.ToList();
            inputs[slot] = input;
            nodes[node] = n with { Inputs = inputs };
            return nodes;
        }

        switch (kind)
        {
            case MutationKind.ReplaceActivation:
            {
                var candidates = nodes.Select((n, i) => (n, i)).Where(x => CellOps.Activations.Contains(x.n.Op)).ToList();
                if (candidates.Count == 0)
                {
                    return null;
                }

                var (n, i) = Pick(candidates);
                nodes[i] = n with { Op = Pick(CellOps.Activations.Where(o => o != n.Op).ToList()) };
                return nodes;
            }

            case MutationKind.ReplaceBinary:
            {
                var candidates = nodes.Select((n, i) => (n, i)).Where(x => Binary.Contains(x.n.Op) && x.n.Inputs.Count == 2).ToList();
                if (candidates.Count == 0)
                {
                    return null;
                }

                var (n, i) = Pick(candidates);
                nodes[i] = n with { Op = Pick(Binary.Where(o => o != n.Op).ToList()) };
                return nodes;
            }

            case MutationKind.InsertActivation or MutationKind.InsertLinear:
            {
                if (edges.Count == 0)
                {
                    return null;
                }

                var e = Pick(edges);
                var name = Fresh(kind == MutationKind.InsertLinear ? "w" : "a");
                var node = kind == MutationKind.InsertLinear
                    ? new CellNode(name, CellOp.Linear, [e.Input])
                    : new CellNode(name, Pick(CellOps.Activations.Where(o => o != CellOp.Identity).ToList()), [e.Input]);
                nodes.Insert(e.Node, node);
                return Rewired(e.Node + 1, e.Slot, name);
            }

            case MutationKind.InsertBinary:
            {
                if (edges.Count == 0)
                {
                    return null;
                }

                var e = Pick(edges);
                var other = Pick(Readable(g, nodes, nodes[e.Node].Name));
                var name = Fresh("b");
                nodes.Insert(e.Node, new CellNode(name, Pick(Binary), [e.Input, other]));
                return Rewired(e.Node + 1, e.Slot, name);
            }

            case MutationKind.RemoveNode:
            {
                var candidates = nodes.Where(n => !CellOps.IsLearned(n.Op)).ToList();
                if (candidates.Count == 0)
                {
                    return null;
                }

                var removed = Pick(candidates);
                if (g.Outputs.Values.Contains(removed.Name))
                {
                    return null;
                }

                var replacement = Pick(removed.Inputs);
                if (replacement == CellGraph.Input)
                {
                    return null;
                }

                nodes.Remove(removed);
                nodes = nodes.Select(n => n with { Inputs = n.Inputs.Select(i => i == removed.Name ? replacement : i).ToList() }).ToList();
                return nodes;
            }

            case MutationKind.Rewire:
            {
                if (edges.Count == 0)
                {
                    return null;
                }

                var e = Pick(edges);
                var targets = Readable(g, nodes, nodes[e.Node].Name).Where(t => t != e.Input).ToList();
                return targets.Count == 0 ? null : Rewired(e.Node, e.Slot, Pick(targets));
            }

            default:
                return null;
        }
    }

    /// <summary>States and nodes that <paramref name="reader"/> may read without closing a cycle.</summary>
    private static List<string> Readable(CellGraph g, List<CellNode> nodes, string reader)
    {
        var readers = new HashSet<string> { reader };
        bool changed;
        do
        {
            changed = false;
            foreach (var n in nodes.Where(n => !readers.Contains(n.Name) && n.Inputs.Any(readers.Contains)))
            {
                readers.Add(n.Name);
                changed = true;
            }
        }
        while (changed);
        return g.States.Concat(nodes.Select(n => n.Name).Where(n => !readers.Contains(n))).ToList();
    }

    /// <summary>Drops nodes no output depends on and redirects outputs that point at a state (h' = h is not a step).</summary>
    public static CellGraph Prune(CellGraph g)
    {
        var byName = g.Nodes.ToDictionary(n => n.Name);
        var seen = new HashSet<string>();
        var stack = new Stack<string>(g.Outputs.Values);
        while (stack.Count > 0)
        {
            var n = stack.Pop();
            if (seen.Add(n) && byName.TryGetValue(n, out var node))
            {
                foreach (var i in node.Inputs)
                {
                    stack.Push(i);
                }
            }
        }

        return g with { Nodes = g.Nodes.Where(n => seen.Contains(n.Name)).ToList() };
    }
}
