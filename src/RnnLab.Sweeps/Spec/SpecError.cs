namespace RnnLab.Sweeps.Spec;

/// <summary>One problem in a spec: where (e.g. search.space.lr.loguniform[0]) and why.</summary>
public sealed record SpecError(string Path, string Reason)
{
    public override string ToString() => $"{(Path.Length == 0 ? "(spec)" : Path)}: {Reason}";
}

/// <summary>The outcome of parsing a spec: the spec, or every error found.</summary>
public sealed record SpecParseResult(SweepSpec? Spec, IReadOnlyList<SpecError> Errors)
{
    public bool IsValid => Spec is not null && Errors.Count == 0;
}

/// <summary>Thrown when a spec that must be valid is not; the message lists every error.</summary>
public sealed class SpecException(IReadOnlyList<SpecError> errors)
    : Exception("invalid sweep spec:\n" + string.Join("\n", errors))
{
    public IReadOnlyList<SpecError> Errors { get; } = errors;
}
