using RnnLab.Sweeps.Parameters;

namespace RnnLab.Sweeps.Space;

/// <summary>
/// The ordered dimensions a sampler chooses from; each parameter comes after every parameter its condition reads,
/// so a configuration is built by walking the list once.
/// </summary>
public sealed class SearchSpace
{
    private readonly Dictionary<string, SearchParameter> _byName;

    public SearchSpace(IEnumerable<SearchParameter> parameters)
    {
        Parameters = Order(parameters.ToList());
        _byName = Parameters.ToDictionary(parameter => parameter.Name, StringComparer.Ordinal);
    }

    public IReadOnlyList<SearchParameter> Parameters { get; }

    /// <summary>The parameters a sampler actually chooses (not fixed).</summary>
    public IReadOnlyList<SearchParameter> Searched => Parameters.Where(parameter => !parameter.IsFixed).ToArray();

    public SearchParameter this[string name] => _byName[name];

    public bool Contains(string name) => _byName.ContainsKey(name);

    /// <summary>
    /// Builds one configuration: <paramref name="choose"/> is asked for each active parameter, in order.
    /// Inactive parameters are left out of the result.
    /// </summary>
    public ParameterSet Build(Func<SearchParameter, ParameterSet, ParameterValue> choose)
    {
        var assigned = ParameterSet.Empty;
        foreach (var parameter in Parameters)
        {
            if (parameter.Condition is null || parameter.Condition.IsSatisfiedBy(assigned))
            {
                assigned = assigned.With(parameter.Name, choose(parameter, assigned));
            }
        }

        return assigned;
    }

    public bool IsActive(SearchParameter parameter, ParameterSet configuration) =>
        parameter.Condition is null || parameter.Condition.IsSatisfiedBy(configuration);

    private static IReadOnlyList<SearchParameter> Order(List<SearchParameter> parameters)
    {
        var names = parameters.Select(parameter => parameter.Name).ToHashSet(StringComparer.Ordinal);
        if (names.Count != parameters.Count)
        {
            throw new ArgumentException("search space names a parameter twice");
        }

        foreach (var parameter in parameters)
        {
            foreach (var dependency in parameter.Condition?.DependsOn ?? [])
            {
                if (!names.Contains(dependency))
                {
                    throw new ArgumentException($"{parameter.Name}: condition reads '{dependency}', which is not in the space");
                }
            }
        }

        // Stable topological order: keeps the author's order wherever the conditions allow it.
        var ordered = new List<SearchParameter>();
        var placed = new HashSet<string>(StringComparer.Ordinal);
        while (ordered.Count < parameters.Count)
        {
            var next = parameters.FirstOrDefault(parameter => !placed.Contains(parameter.Name) &&
                (parameter.Condition?.DependsOn ?? []).All(placed.Contains))
                ?? throw new ArgumentException("search space conditions form a cycle: " + string.Join(", ",
                    parameters.Where(parameter => !placed.Contains(parameter.Name)).Select(parameter => parameter.Name)));
            ordered.Add(next);
            placed.Add(next.Name);
        }

        return ordered;
    }
}
