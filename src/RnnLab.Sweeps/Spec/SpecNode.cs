using RnnLab.Sweeps.Parameters;

namespace RnnLab.Sweeps.Spec;

/// <summary>A format-neutral tree that YAML and JSON both parse into, so one validator serves both.</summary>
internal abstract record SpecNode
{
    public abstract string Describe();
}

internal sealed record SpecMap(IReadOnlyList<KeyValuePair<string, SpecNode>> Entries) : SpecNode
{
    public SpecNode? this[string key] => Entries.FirstOrDefault(entry => entry.Key == key).Value;

    public override string Describe() => "a mapping";
}

internal sealed record SpecList(IReadOnlyList<SpecNode> Items) : SpecNode
{
    public override string Describe() => "a list";
}

/// <summary>A scalar; Value is null for an explicit null.</summary>
internal sealed record SpecScalar(ParameterValue? Value) : SpecNode
{
    public override string Describe() => Value is null ? "null" : $"'{Value}'";
}
