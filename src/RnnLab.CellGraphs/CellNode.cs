namespace RnnLab.CellGraphs;

/// <summary>One node: a name, what it computes, and the names of the nodes (or x, or a state) it reads.</summary>
public sealed record CellNode(string Name, CellOp Op, IReadOnlyList<string> Inputs, bool HasBias = false)
{
    public bool Equals(CellNode? other) =>
        other is not null && Name == other.Name && Op == other.Op && HasBias == other.HasBias && Inputs.SequenceEqual(other.Inputs);

    public override int GetHashCode() => HashCode.Combine(Name, Op, HasBias, Inputs.Count);
}
