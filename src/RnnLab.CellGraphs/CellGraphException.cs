namespace RnnLab.CellGraphs;

/// <summary>A cell graph that cannot be used; every message names the place (e.g. <c>nodes[3].in[1]</c>).</summary>
public sealed class CellGraphException(IReadOnlyList<string> errors)
    : Exception(string.Join(Environment.NewLine, errors))
{
    public IReadOnlyList<string> Errors { get; } = errors;
}
