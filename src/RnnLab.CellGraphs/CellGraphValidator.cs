using System.Text.RegularExpressions;

namespace RnnLab.CellGraphs;

/// <summary>Checks a cell graph; each error starts with its path (<c>nodes.i.in[1]</c>, <c>outputs.c</c>, <c>state</c>).</summary>
public static partial class CellGraphValidator
{
    public const int MaxNodes = 200;

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial Regex Identifier();

    public static IReadOnlyList<string> Errors(CellGraph g)
    {
        var errors = new List<string>();
        if (g.States.Count == 0 || g.States[0] != CellGraph.Hidden)
        {
            errors.Add("state: the first state must be h (the output of the cell)");
        }

        foreach (var (s, k) in g.States.Select((s, k) => (s, k)))
        {
            if (!Identifier().IsMatch(s) || s == CellGraph.Input)
            {
                errors.Add($"state[{k}]: '{s}' is not a valid state name");
            }
            else if (g.States.Take(k).Contains(s))
            {
                errors.Add($"state[{k}]: '{s}' is declared twice");
            }
        }

        if (g.Nodes.Count > MaxNodes)
        {
            errors.Add($"nodes: {g.Nodes.Count} nodes, at most {MaxNodes} allowed");
        }

        var byName = new Dictionary<string, CellNode>();
        foreach (var n in g.Nodes)
        {
            var p = $"nodes.{n.Name}";
            if (!Identifier().IsMatch(n.Name))
            {
                errors.Add($"{p}: '{n.Name}' is not a valid node name (letters, digits, _)");
            }
            else if (g.IsSource(n.Name))
            {
                errors.Add($"{p}: the name is taken by the input or a state");
            }
            else if (!byName.TryAdd(n.Name, n))
            {
                errors.Add($"{p}: declared twice");
            }

            var (min, max) = CellOps.Arity(n.Op);
            if (n.Inputs.Count < min || n.Inputs.Count > max)
            {
                var want = min == max ? $"{min}" : $"{min} to {max}";
                errors.Add($"{p}.in: {CellOps.Name(n.Op)} takes {want} input{(max == 1 ? "" : "s")}, got {n.Inputs.Count}");
            }

            if (n.HasBias && n.Op != CellOp.Linear)
            {
                errors.Add($"{p}.bias: only linear nodes take a bias flag (use a bias node)");
            }
        }

        foreach (var n in g.Nodes)
        {
            for (var k = 0; k < n.Inputs.Count; k++)
            {
                var i = n.Inputs[k];
                if (!g.IsSource(i) && !byName.ContainsKey(i))
                {
                    errors.Add($"nodes.{n.Name}.in[{k}]: '{i}' is not x, a state ({string.Join(", ", g.States)}) or a node");
                }
                else if (i == CellGraph.Input && n.Op != CellOp.Linear)
                {
                    errors.Add($"nodes.{n.Name}.in[{k}]: x has the input width; only a linear node can read it (project it first)");
                }
            }
        }

        errors.AddRange(Cycles(g, byName));
        foreach (var s in g.States)
        {
            if (!g.Outputs.TryGetValue(s, out var o))
            {
                errors.Add($"outputs.{s}: missing (every state needs the node giving its next value)");
            }
            else if (!byName.ContainsKey(o))
            {
                errors.Add($"outputs.{s}: '{o}' is not a node");
            }
        }

        foreach (var o in g.Outputs.Keys.Where(k => !g.States.Contains(k)))
        {
            errors.Add($"outputs.{o}: '{o}' is not a declared state");
        }

        if (errors.Count > 0)
        {
            return errors;
        }

        var reached = Reachable(g, byName);
        foreach (var n in g.Nodes.Where(n => !reached.Contains(n.Name)))
        {
            errors.Add($"nodes.{n.Name}: dangling (no output depends on it)");
        }

        foreach (var s in g.States.Prepend(CellGraph.Input).Where(s => !reached.Contains(s)))
        {
            errors.Add(s == CellGraph.Input ? "x: the input is never used" : $"state.{s}: the previous {s} is never used");
        }

        return errors;
    }

    private static IEnumerable<string> Cycles(CellGraph g, Dictionary<string, CellNode> byName)
    {
        var state = new Dictionary<string, int>();
        var path = new List<string>();
        var found = new List<string>();
        void Visit(string name)
        {
            state[name] = 1;
            path.Add(name);
            foreach (var i in byName[name].Inputs.Where(byName.ContainsKey))
            {
                if (state.GetValueOrDefault(i) == 1)
                {
                    var loop = path.Skip(path.IndexOf(i)).Append(i);
                    found.Add($"nodes.{i}: cycle {string.Join(" → ", loop)} (a step may read only the previous state)");
                }
                else if (state.GetValueOrDefault(i) == 0)
                {
                    Visit(i);
                }
            }

            path.RemoveAt(path.Count - 1);
            state[name] = 2;
        }

        foreach (var n in byName.Keys.Where(n => state.GetValueOrDefault(n) == 0))
        {
            Visit(n);
        }

        return found;
    }

    private static HashSet<string> Reachable(CellGraph g, Dictionary<string, CellNode> byName)
    {
        var seen = new HashSet<string>();
        var stack = new Stack<string>(g.Outputs.Values);
        while (stack.Count > 0)
        {
            var n = stack.Pop();
            if (!seen.Add(n) || !byName.TryGetValue(n, out var node))
            {
                continue;
            }

            foreach (var i in node.Inputs)
            {
                stack.Push(i);
            }
        }

        return seen;
    }
}
