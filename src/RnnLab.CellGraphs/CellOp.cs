namespace RnnLab.CellGraphs;

/// <summary>What one node of a cell graph computes.</summary>
public enum CellOp
{
    /// <summary>Learned affine map W·a (+ b when the node has a bias): any width in, hidden width out.</summary>
    Linear,

    /// <summary>Learned element-wise weight p ⊙ a (a peephole).</summary>
    Scale,

    /// <summary>Adds a learned vector: a + b.</summary>
    Bias,
    Sigmoid,
    Tanh,
    Relu,
    Identity,

    /// <summary>Sum of two or more inputs.</summary>
    Add,
    Subtract,
    Multiply,

    /// <summary>1 − a.</summary>
    OneMinus,
}

/// <summary>Names, arity and properties of <see cref="CellOp"/>.</summary>
public static class CellOps
{
    private static readonly Dictionary<string, CellOp> ByName = Enum.GetValues<CellOp>().ToDictionary(Name);

    public static IReadOnlyCollection<string> Names => ByName.Keys;

    public static string Name(CellOp op) => op switch
    {
        CellOp.OneMinus => "one-minus",
        _ => op.ToString().ToLowerInvariant(),
    };

    public static bool TryParse(string name, out CellOp op) => ByName.TryGetValue(name, out op);

    /// <summary>Least and most inputs the op takes.</summary>
    public static (int Min, int Max) Arity(CellOp op) => op switch
    {
        CellOp.Add => (2, 8),
        CellOp.Subtract or CellOp.Multiply => (2, 2),
        _ => (1, 1),
    };

    /// <summary>True when the node owns learned parameters (two such nodes are never the same node).</summary>
    public static bool IsLearned(CellOp op) => op is CellOp.Linear or CellOp.Scale or CellOp.Bias;

    public static bool IsCommutative(CellOp op) => op is CellOp.Add or CellOp.Multiply;

    /// <summary>Element-wise nonlinearities (the ops a mutation may swap for one another).</summary>
    public static IReadOnlyList<CellOp> Activations { get; } = [CellOp.Sigmoid, CellOp.Tanh, CellOp.Relu, CellOp.Identity];
}
