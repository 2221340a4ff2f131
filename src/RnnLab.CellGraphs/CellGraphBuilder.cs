namespace RnnLab.CellGraphs;

/// <summary>Writes a cell graph in code: each call adds a node and returns its name.</summary>
public sealed class CellGraphBuilder(string name, params string[] states)
{
    private readonly List<CellNode> _nodes = [];
    private readonly Dictionary<string, string> _outputs = [];

    public string Node(string node, CellOp op, params string[] inputs) => Add(new CellNode(node, op, inputs));

    public string Linear(string node, string input, bool bias = false) => Add(new CellNode(node, CellOp.Linear, [input], bias));

    public CellGraphBuilder Output(string state, string node)
    {
        _outputs[state] = node;
        return this;
    }

    public CellGraph Build() => new CellGraph(name, states.Length == 0 ? [CellGraph.Hidden] : states, _nodes.ToList(), new Dictionary<string, string>(_outputs)).Validated();

    private string Add(CellNode node)
    {
        _nodes.Add(node);
        return node.Name;
    }
}
