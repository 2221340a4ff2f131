using RnnLab.Sweeps.Parameters;

namespace RnnLab.Sweeps.Space;

/// <summary>
/// When a conditional parameter is active: every named parameter must be active and hold one of the listed values
/// (e.g. momentum only where optimizer is sgd).
/// </summary>
public sealed record ParameterCondition(IReadOnlyDictionary<string, IReadOnlyList<ParameterValue>> Requirements)
{
    public IEnumerable<string> DependsOn => Requirements.Keys;

    public bool IsSatisfiedBy(ParameterSet assigned) =>
        Requirements.All(requirement =>
            assigned.TryGetValue(requirement.Key, out var value) && requirement.Value.Contains(value));

    public override string ToString() =>
        string.Join(", ", Requirements.Select(r => $"{r.Key} in [{string.Join(", ", r.Value)}]"));
}
