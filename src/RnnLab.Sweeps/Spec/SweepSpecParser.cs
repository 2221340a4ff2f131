using System.Globalization;
using System.Text.RegularExpressions;
using RnnLab.Sweeps.Parameters;
using RnnLab.Sweeps.Space;

namespace RnnLab.Sweeps.Spec;

/// <summary>Validates a spec tree section by section, collecting every error before giving up.</summary>
internal static partial class SweepSpecParser
{
    private static readonly string[] _topKeys =
        ["name", "task", "metric", "fixed", "search", "early_stopping", "budget", "retries", "seed"];

    private static readonly Dictionary<string, SamplerType> _samplers = new()
    {
        ["grid"] = SamplerType.Grid,
        ["random"] = SamplerType.Random,
        ["stratified"] = SamplerType.Stratified,
        ["sobol"] = SamplerType.Sobol,
        ["tpe"] = SamplerType.Tpe,
        ["evolution"] = SamplerType.Evolution,
    };

    private static readonly Dictionary<string, EarlyStoppingType> _stoppers = new()
    {
        ["none"] = EarlyStoppingType.None,
        ["median"] = EarlyStoppingType.Median,
        ["asha"] = EarlyStoppingType.Asha,
    };

    private static readonly Dictionary<string, MetricDirection> _directions = new()
    {
        ["minimize"] = MetricDirection.Minimize,
        ["maximize"] = MetricDirection.Maximize,
    };

    public static SpecParseResult Parse(string text)
    {
        var reader = new SpecReader();
        var root = SpecTextReader.Read(text ?? "", reader.Errors);
        if (root is null)
        {
            return new(null, reader.Errors);
        }

        var map = reader.Map(root, "");
        if (map is null)
        {
            return new(null, reader.Errors);
        }

        reader.AllowOnly(map, "", _topKeys);
        var name = ReadName(reader, map["name"]);
        var task = ReadTask(reader, map["task"]);
        var metric = ReadMetric(reader, map["metric"]);
        var seed = map["seed"] is null ? 0 : reader.Integer(map["seed"], "seed", 0, long.MaxValue) ?? 0;
        var retries = map["retries"] is null ? 0 : (int)(reader.Integer(map["retries"], "retries", 0, SpecLimits.MaxRetries) ?? 0);
        var fixedValues = ReadFixed(reader, map["fixed"]);
        var (space, sampler) = ReadSearch(reader, map["search"], fixedValues, seed);
        BidirectionalRule.Check(reader, task, fixedValues, space);
        var budget = ReadBudget(reader, map["budget"], sampler, space);
        var stopping = ReadEarlyStopping(reader, map["early_stopping"], budget);

        if (reader.Errors.Count > 0 || name is null || task is null || metric is null || space is null ||
            sampler is null || budget is null || stopping is null)
        {
            return new(null, reader.Errors);
        }

        return new(new SweepSpec(name, task, metric, fixedValues, space, sampler, stopping, budget, retries, seed), []);
    }

    private static string? ReadName(SpecReader reader, SpecNode? node)
    {
        var name = reader.Text(node, "name");
        if (name is not null && !NamePattern().IsMatch(name))
        {
            reader.Error("name", "must be 1–64 letters, digits, '.', '_' or '-'");
            return null;
        }

        return name;
    }

    private static TaskSpec? ReadTask(SpecReader reader, SpecNode? node)
    {
        if (node is SpecScalar)
        {
            var bare = reader.Text(node, "task");
            return bare is null ? null : new TaskSpec(bare, ParameterSet.Empty);
        }

        var map = reader.Map(node, "task");
        if (map is null)
        {
            return null;
        }

        reader.AllowOnly(map, "task", ["name", "options"]);
        var name = reader.Text(map["name"], "task.name");
        var options = ParameterSet.Empty;
        if (map["options"] is not null && reader.Map(map["options"], "task.options") is { } optionMap)
        {
            foreach (var (key, valueNode) in optionMap.Entries)
            {
                var path = SpecPath.Key("task.options", key);
                if (reader.Scalar(valueNode, path) is not { } value)
                {
                    continue;
                }

                if (SpecLimits.SequenceLengthOptions.Contains(key) &&
                    (!value.IsNumeric || value.AsDouble() < 1 || value.AsDouble() > ParameterCatalog.MaxSequenceLength))
                {
                    reader.Error(path, $"a sequence length must be between 1 and {ParameterCatalog.MaxSequenceLength}, not '{value}'");
                    continue;
                }

                options = options.With(key, value);
            }
        }

        return name is null ? null : new TaskSpec(name, options);
    }

    private static MetricSpec? ReadMetric(SpecReader reader, SpecNode? node)
    {
        if (node is SpecScalar)
        {
            var bare = reader.Text(node, "metric");
            return bare is null ? null : new MetricSpec(bare, MetricDirection.Minimize);
        }

        var map = reader.Map(node, "metric");
        if (map is null)
        {
            return null;
        }

        reader.AllowOnly(map, "metric", ["name", "direction"]);
        var name = reader.Text(map["name"], "metric.name");
        var direction = map["direction"] is null
            ? MetricDirection.Minimize
            : reader.Word(map["direction"], "metric.direction", _directions);
        return name is null || direction is null ? null : new MetricSpec(name, direction.Value);
    }

    private static ParameterSet ReadFixed(SpecReader reader, SpecNode? node)
    {
        var values = ParameterSet.Empty;
        if (node is null || reader.Map(node, "fixed") is not { } map)
        {
            return values;
        }

        foreach (var (key, valueNode) in map.Entries)
        {
            var path = SpecPath.Key("fixed", key);
            if (SpaceParser.Definition(reader, key, path) is not { } definition)
            {
                continue;
            }

            if (SpaceParser.Value(reader, valueNode, path, definition) is { } value)
            {
                values = values.With(key, value);
            }
        }

        return values;
    }

    private static (SearchSpace? Space, SamplerSpec? Sampler) ReadSearch(
        SpecReader reader, SpecNode? node, ParameterSet fixedValues, long seed)
    {
        var map = reader.Map(node, "search");
        if (map is null)
        {
            return (null, null);
        }

        reader.AllowOnly(map, "search", ["sampler", "space"]);
        var space = SpaceParser.Read(reader, map["space"], fixedValues);
        var sampler = ReadSampler(reader, map["sampler"], seed, space);
        return (space, sampler);
    }

    private static SamplerSpec? ReadSampler(SpecReader reader, SpecNode? node, long seed, SearchSpace? space)
    {
        const string path = "search.sampler";
        if (node is null)
        {
            return new SamplerSpec(SamplerType.Random, seed);
        }

        if (node is SpecScalar)
        {
            var bareType = reader.Word(node, path, _samplers);
            if (bareType == SamplerType.Stratified)
            {
                reader.Error(path, "a stratified sampler needs 'by': the categorical parameter to balance");
                return null;
            }

            return bareType is null ? null : new SamplerSpec(bareType.Value, seed,
                Evolution: bareType == SamplerType.Evolution ? new EvolutionSpec(EvolutionSpec.DefaultSeeds) : null);
        }

        var map = reader.Map(node, path);
        if (map is null)
        {
            return null;
        }

        reader.AllowOnly(map, path, ["type", "seed", "by", "resolution", "startup_trials", "candidates", "population", "tournament", "mutations", "seeds"]);
        var type = reader.Word(map["type"], SpecPath.Key(path, "type"), _samplers);
        if (type is null)
        {
            return null;
        }

        OnlyFor(reader, map, path, "by", type.Value, SamplerType.Stratified);
        OnlyFor(reader, map, path, "resolution", type.Value, SamplerType.Grid);
        OnlyFor(reader, map, path, "startup_trials", type.Value, SamplerType.Tpe);
        OnlyFor(reader, map, path, "candidates", type.Value, SamplerType.Tpe);
        foreach (var key in new[] { "population", "tournament", "mutations", "seeds" })
        {
            OnlyFor(reader, map, path, key, type.Value, SamplerType.Evolution);
        }

        var samplerSeed = map["seed"] is null ? seed : reader.Integer(map["seed"], SpecPath.Key(path, "seed"), 0, long.MaxValue) ?? seed;
        var resolution = map["resolution"] is null
            ? SamplerSpec.DefaultGridResolution
            : (int)(reader.Integer(map["resolution"], SpecPath.Key(path, "resolution"), 1, SpecLimits.MaxGridResolution) ?? 1);
        var startup = map["startup_trials"] is null
            ? SamplerSpec.DefaultStartupTrials
            : (int)(reader.Integer(map["startup_trials"], SpecPath.Key(path, "startup_trials"), 1, SpecLimits.MaxTrials) ?? 1);
        var candidates = map["candidates"] is null
            ? SamplerSpec.DefaultCandidates
            : (int)(reader.Integer(map["candidates"], SpecPath.Key(path, "candidates"), 1, 10_000) ?? 1);

        string? by = null;
        if (type == SamplerType.Stratified)
        {
            by = reader.Text(map["by"], SpecPath.Key(path, "by"));
            if (by is not null && space is not null)
            {
                if (!space.Contains(by) || space[by].Domain is not CategoricalDomain || space[by].Condition is not null)
                {
                    reader.Error(SpecPath.Key(path, "by"), $"'{by}' must be an unconditional categorical parameter of search.space");
                }
            }
        }

        var evolution = type == SamplerType.Evolution ? EvolutionSettings.Read(reader, map, path) : null;
        return new SamplerSpec(type.Value, samplerSeed, by, resolution, startup, candidates, evolution);
    }

    private static void OnlyFor(SpecReader reader, SpecMap map, string path, string key, SamplerType actual, SamplerType owner)
    {
        if (map[key] is not null && actual != owner)
        {
            reader.Error(SpecPath.Key(path, key), $"applies only to the {owner.ToString().ToLowerInvariant()} sampler");
        }
    }

    private static BudgetSpec? ReadBudget(SpecReader reader, SpecNode? node, SamplerSpec? sampler, SearchSpace? space)
    {
        const string path = "budget";
        var map = reader.Map(node, path);
        if (map is null)
        {
            return null;
        }

        reader.AllowOnly(map, path, ["trials", "trials_per_stratum", "parallelism", "max_epochs", "time_limit"]);
        int? trials = null;
        int? perStratum = null;
        if (map["trials"] is not null && map["trials_per_stratum"] is not null)
        {
            reader.Error(SpecPath.Key(path, "trials_per_stratum"), "give either trials or trials_per_stratum, not both");
        }
        else if (map["trials"] is not null)
        {
            trials = (int?)reader.Integer(map["trials"], SpecPath.Key(path, "trials"), 1, SpecLimits.MaxTrials);
        }
        else if (map["trials_per_stratum"] is not null)
        {
            var perPath = SpecPath.Key(path, "trials_per_stratum");
            perStratum = (int?)reader.Integer(map["trials_per_stratum"], perPath, 1, SpecLimits.MaxTrials);
            if (sampler is not null && sampler.Type != SamplerType.Stratified)
            {
                reader.Error(perPath, "needs the stratified sampler (search.sampler.type: stratified)");
            }
            else if (perStratum is not null && sampler?.StratifyBy is { } by && space is not null && space.Contains(by) &&
                     space[by].Domain is CategoricalDomain strata)
            {
                var total = (long)perStratum.Value * strata.Choices.Count;
                if (total > SpecLimits.MaxTrials)
                {
                    reader.Error(perPath, $"{perStratum} × {strata.Choices.Count} strata = {total} trials; the limit is {SpecLimits.MaxTrials}");
                }
                else
                {
                    trials = (int)total;
                }
            }
        }
        else if (sampler?.Type == SamplerType.Grid && space is not null)
        {
            var size = GridSize(space, sampler.GridResolution);
            if (size > SpecLimits.MaxTrials)
            {
                reader.Error(SpecPath.Key(path, "trials"), $"the grid has {size} points; the limit is {SpecLimits.MaxTrials}");
            }
            else
            {
                trials = (int)size;
            }
        }
        else
        {
            reader.Error(SpecPath.Key(path, "trials"), "is required (or trials_per_stratum with the stratified sampler)");
        }

        var parallelism = map["parallelism"] is null
            ? 1
            : (int)(reader.Integer(map["parallelism"], SpecPath.Key(path, "parallelism"), 1, SpecLimits.MaxParallelism) ?? 1);
        var maxEpochs = map["max_epochs"] is null
            ? (int?)null
            : (int?)reader.Integer(map["max_epochs"], SpecPath.Key(path, "max_epochs"), 1, ParameterCatalog.MaxEpochs);
        TimeSpan? timeLimit = null;
        if (map["time_limit"] is not null)
        {
            timeLimit = ReadDuration(reader, map["time_limit"], SpecPath.Key(path, "time_limit"));
        }

        return trials is null ? null : new BudgetSpec(trials.Value, perStratum, parallelism, maxEpochs, timeLimit);
    }

    /// <summary>Grid points, counted without enumerating (conditional parameters count as always active: an upper bound).</summary>
    private static long GridSize(SearchSpace space, int resolution)
    {
        long size = 1;
        foreach (var parameter in space.Parameters)
        {
            size *= parameter.Domain.GridPoints(resolution).Count + (parameter.Condition is null ? 0 : 1);
            if (size > SpecLimits.MaxTrials * 1000L)
            {
                return size;
            }
        }

        return Math.Min(size, GridSizeExact(space, resolution));
    }

    private static long GridSizeExact(SearchSpace space, int resolution) =>
        Sampling.GridSampler.Enumerate(space, resolution).Take(SpecLimits.MaxTrials + 1).LongCount();

    private static TimeSpan? ReadDuration(SpecReader reader, SpecNode? node, string path)
    {
        var value = reader.Scalar(node, path);
        if (value is null)
        {
            return null;
        }

        // Seconds as a double first: TimeSpan throws on overflow (time_limit: 99999999999999d), and a too-large
        // value is the caller's error to hear about, not the server's.
        double? seconds = null;
        if (value.Value.Kind == ParameterKind.Integer)
        {
            seconds = value.Value.AsLong();
        }
        else if (value.Value.Kind == ParameterKind.Text && DurationPattern().Match(value.Value.AsString()) is { Success: true } match &&
                 match.Value.Length > 0)
        {
            double Part(string group) => match.Groups[group].Success ? double.Parse(match.Groups[group].Value, CultureInfo.InvariantCulture) : 0;
            seconds = Part("d") * 86_400 + Part("h") * 3_600 + Part("m") * 60 + Part("s");
        }

        if (seconds is null)
        {
            reader.Error(path, $"'{value}' is not a duration (e.g. 90s, 30m, 2h, 1h30m, 1d)");
            return null;
        }

        if (!double.IsFinite(seconds.Value) || seconds.Value < 1 || seconds.Value > SpecLimits.MaxTimeLimit.TotalSeconds)
        {
            reader.Error(path, $"must be between 1s and {SpecLimits.MaxTimeLimit.TotalDays} days");
            return null;
        }

        var duration = TimeSpan.FromSeconds(seconds.Value);
        return duration;
    }

    private static EarlyStoppingSpec? ReadEarlyStopping(SpecReader reader, SpecNode? node, BudgetSpec? budget)
    {
        const string path = "early_stopping";
        if (node is null)
        {
            return EarlyStoppingSpec.None;
        }

        if (node is SpecScalar)
        {
            var bareType = reader.Word(node, path, _stoppers);
            return bareType is null ? null : new EarlyStoppingSpec(bareType.Value, MaxEpochs: budget?.MaxEpochs);
        }

        var map = reader.Map(node, path);
        if (map is null)
        {
            return null;
        }

        reader.AllowOnly(map, path, ["type", "grace_period", "reduction_factor", "min_trials"]);
        var type = reader.Word(map["type"], SpecPath.Key(path, "type"), _stoppers);
        if (type is null)
        {
            return null;
        }

        if (type == EarlyStoppingType.None && map.Entries.Count > 1)
        {
            reader.Error(path, "type none takes no other settings");
        }

        if (map["reduction_factor"] is not null && type != EarlyStoppingType.Asha)
        {
            reader.Error(SpecPath.Key(path, "reduction_factor"), "applies only to asha");
        }

        if (map["min_trials"] is not null && type != EarlyStoppingType.Median)
        {
            reader.Error(SpecPath.Key(path, "min_trials"), "applies only to median");
        }

        var grace = map["grace_period"] is null
            ? 1
            : (int)(reader.Integer(map["grace_period"], SpecPath.Key(path, "grace_period"), 1, ParameterCatalog.MaxEpochs) ?? 1);
        var factor = map["reduction_factor"] is null
            ? 3
            : reader.Number(map["reduction_factor"], SpecPath.Key(path, "reduction_factor"), 1, 100, minExclusive: true) ?? 3;
        var minTrials = map["min_trials"] is null
            ? 3
            : (int)(reader.Integer(map["min_trials"], SpecPath.Key(path, "min_trials"), 1, SpecLimits.MaxTrials) ?? 3);
        if (budget?.MaxEpochs is { } maxEpochs && grace > maxEpochs)
        {
            reader.Error(SpecPath.Key(path, "grace_period"), $"is beyond budget.max_epochs ({maxEpochs})");
        }

        return new EarlyStoppingSpec(type.Value, grace, factor, minTrials, budget?.MaxEpochs);
    }

    [GeneratedRegex("^[A-Za-z0-9._-]{1,64}$")]
    private static partial Regex NamePattern();

    [GeneratedRegex(@"^(?:(?<d>\d+(?:\.\d+)?)d)?(?:(?<h>\d+(?:\.\d+)?)h)?(?:(?<m>\d+(?:\.\d+)?)m)?(?:(?<s>\d+(?:\.\d+)?)s)?$")]
    private static partial Regex DurationPattern();
}
