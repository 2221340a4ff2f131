using RnnLab.Sweeps.Parameters;
using RnnLab.Sweeps.Space;

namespace RnnLab.Sweeps.Spec;

/// <summary>A validated sweep: what to train, what to search, how to sample and stop, and how much to spend.</summary>
public sealed record SweepSpec(
    string Name,
    TaskSpec Task,
    MetricSpec Metric,
    ParameterSet Fixed,
    SearchSpace Space,
    SamplerSpec Sampler,
    EarlyStoppingSpec EarlyStopping,
    BudgetSpec Budget,
    int Retries,
    long Seed)
{
    /// <summary>Parses YAML or JSON text, reporting every problem at once.</summary>
    public static SpecParseResult Parse(string text) => SweepSpecParser.Parse(text);

    /// <summary>Parses and throws <see cref="SpecException"/> listing every problem.</summary>
    public static SweepSpec ParseOrThrow(string text)
    {
        var result = Parse(text);
        return result.Spec ?? throw new SpecException(result.Errors);
    }
}

/// <summary>The task to train on (a name or a file path) with its free-form options.</summary>
public sealed record TaskSpec(string Name, ParameterSet Options);

/// <summary>Whether smaller or larger metric values are better.</summary>
public enum MetricDirection
{
    Minimize,
    Maximize,
}

/// <summary>The metric a sweep optimises, e.g. valid.nll, minimised.</summary>
public sealed record MetricSpec(string Name, MetricDirection Direction)
{
    /// <summary>The value in minimisation form: lower is always better.</summary>
    public double ToLoss(double value) => Direction == MetricDirection.Minimize ? value : -value;

    /// <summary>The better of a best value so far and a candidate; a missing or non-finite candidate never wins.</summary>
    public double? Better(double? best, double? candidate) =>
        candidate is { } c && double.IsFinite(c) && (best is not { } b || ToLoss(c) < ToLoss(b)) ? c : best;
}

/// <summary>The sampler kinds a spec may name.</summary>
public enum SamplerType
{
    Grid,
    Random,
    Stratified,
    Sobol,
    Tpe,

    /// <summary>Evolution of cell graphs (Jozefowicz et al. 2015); the other parameters are drawn at random.</summary>
    Evolution,
}

/// <summary>How configurations are proposed. StratifyBy names the categorical a stratified sampler balances.</summary>
public sealed record SamplerSpec(
    SamplerType Type,
    long Seed,
    string? StratifyBy = null,
    int GridResolution = SamplerSpec.DefaultGridResolution,
    int StartupTrials = SamplerSpec.DefaultStartupTrials,
    int Candidates = SamplerSpec.DefaultCandidates,
    EvolutionSpec? Evolution = null)
{
    public const int DefaultGridResolution = 5;
    public const int DefaultStartupTrials = 10;
    public const int DefaultCandidates = 24;
}

/// <summary>
/// Settings of the evolutionary sampler: the first proposals are the seed cells; then each proposal mutates the winner
/// of a tournament among the best <see cref="Population"/> finished graphs, 1 to <see cref="MaxMutations"/> times,
/// into an architecture (by canonical hash) not tried before.
/// </summary>
public sealed record EvolutionSpec(IReadOnlyList<string> Seeds, int Population = 20, int Tournament = 4, int MaxMutations = 2)
{
    public static IReadOnlyList<string> DefaultSeeds { get; } = ["lstm", "gru"];

    public bool Equals(EvolutionSpec? other) =>
        other is not null && Seeds.SequenceEqual(other.Seeds) && Population == other.Population &&
        Tournament == other.Tournament && MaxMutations == other.MaxMutations;

    public override int GetHashCode() => HashCode.Combine(Seeds.Count, Population, Tournament, MaxMutations);
}

/// <summary>The early-stopping rules a spec may name.</summary>
public enum EarlyStoppingType
{
    None,
    Median,
    Asha,
}

/// <summary>When trials are stopped before their last epoch.</summary>
public sealed record EarlyStoppingSpec(
    EarlyStoppingType Type,
    int GracePeriod = 1,
    double ReductionFactor = 3,
    int MinTrials = 3,
    int? MaxEpochs = null)
{
    public static EarlyStoppingSpec None { get; } = new(EarlyStoppingType.None);
}

/// <summary>How much a sweep may spend. Trials is the total, also when given per stratum.</summary>
public sealed record BudgetSpec(
    int Trials,
    int? TrialsPerStratum,
    int Parallelism,
    int? MaxEpochs,
    TimeSpan? TimeLimit);
