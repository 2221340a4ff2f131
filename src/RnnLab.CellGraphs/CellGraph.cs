namespace RnnLab.CellGraphs;

/// <summary>
/// A recurrent cell as data: nodes over the input x and the previous state vectors (h first, then e.g. c),
/// and for every state the node that gives its next value. All nodes but x have the hidden width.
/// </summary>
public sealed record CellGraph(string Name, IReadOnlyList<string> States, IReadOnlyList<CellNode> Nodes, IReadOnlyDictionary<string, string> Outputs)
{
    public const string Input = "x";
    public const string Hidden = "h";

    public CellNode? Node(string name) => Nodes.FirstOrDefault(n => n.Name == name);

    /// <summary>True when <paramref name="name"/> is x or a state, not a node.</summary>
    public bool IsSource(string name) => name == Input || States.Contains(name);

    /// <summary>Parses YAML or JSON and validates it; errors name their path.</summary>
    public static CellGraph Parse(string text) => CellGraphText.Parse(text);

    public string ToYaml() => CellGraphText.ToYaml(this);

    /// <summary>The canonical text of the architecture: equal for graphs that compute the same function shape.</summary>
    public string Canonical() => CellGraphCanonical.Text(this);

    /// <summary>First 16 hex digits of the SHA-256 of <see cref="Canonical"/>.</summary>
    public string Hash() => CellGraphCanonical.Hash(this);

    public string Equations() => CellGraphEquations.Print(this);

    public CellGraph Validated()
    {
        var errors = CellGraphValidator.Errors(this);
        return errors.Count == 0 ? this : throw new CellGraphException(errors);
    }

    /// <summary>Node names in an order where each node comes after its inputs (the graph must be acyclic).</summary>
    public IReadOnlyList<CellNode> TopologicalOrder()
    {
        var byName = Nodes.ToDictionary(n => n.Name);
        var done = new HashSet<string>();
        var order = new List<CellNode>();
        void Visit(CellNode n)
        {
            if (!done.Add(n.Name))
            {
                return;
            }

            foreach (var i in n.Inputs)
            {
                if (byName.TryGetValue(i, out var m))
                {
                    Visit(m);
                }
            }

            order.Add(n);
        }

        foreach (var n in Nodes)
        {
            Visit(n);
        }

        return order;
    }
}
