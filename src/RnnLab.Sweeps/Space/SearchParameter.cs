namespace RnnLab.Sweeps.Space;

/// <summary>One named dimension of a search space, optionally active only under a condition.</summary>
public sealed record SearchParameter(string Name, ParameterDomain Domain, ParameterCondition? Condition = null)
{
    public bool IsFixed => Domain is FixedDomain;
}
