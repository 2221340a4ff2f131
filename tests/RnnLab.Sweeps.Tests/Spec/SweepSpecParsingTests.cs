using RnnLab.Sweeps.Parameters;
using RnnLab.Sweeps.Space;
using RnnLab.Sweeps.Spec;

namespace RnnLab.Sweeps.Tests.Spec;

public class SweepSpecParsingTests
{
    public const string Quickstart = """
        name: quickstart
        task: { name: adding, options: { length: 40 } }
        metric: { name: valid.mse, direction: minimize }
        fixed: { layers: 1, optimizer: adam, batch: 32 }
        search:
          sampler: { type: stratified, by: cell, seed: 1 }
          space:
            cell: { categorical: [rnn-tanh, lstm, gru] }
            lr: { loguniform: [1.0e-4, 1.0e-2] }
            hidden: { int: [20, 200] }
            momentum: { uniform: [0, 0.99], when: { optimizer: sgd } }
            forget_bias: { uniform: [0, 2], when: { cell: [lstm] } }
        early_stopping: { type: asha, grace_period: 2, reduction_factor: 3 }
        budget: { trials: 30, parallelism: 4, max_epochs: 20, time_limit: 2h }
        retries: 2
        seed: 1
        """;

    public const string QuickstartJson = """
        {
          "name": "quickstart",
          "task": { "name": "adding", "options": { "length": 40 } },
          "metric": { "name": "valid.mse", "direction": "minimize" },
          "fixed": { "layers": 1, "optimizer": "adam", "batch": 32 },
          "search": {
            "sampler": { "type": "stratified", "by": "cell", "seed": 1 },
            "space": {
              "cell": { "categorical": ["rnn-tanh", "lstm", "gru"] },
              "lr": { "loguniform": [1.0e-4, 1.0e-2] },
              "hidden": { "int": [20, 200] },
              "momentum": { "uniform": [0, 0.99], "when": { "optimizer": "sgd" } },
              "forget_bias": { "uniform": [0, 2], "when": { "cell": ["lstm"] } }
            }
          },
          "early_stopping": { "type": "asha", "grace_period": 2, "reduction_factor": 3 },
          "budget": { "trials": 30, "parallelism": 4, "max_epochs": 20, "time_limit": "2h" },
          "retries": 2,
          "seed": 1
        }
        """;

    [Fact]
    public void Quickstart_yaml_parses_into_the_full_model()
    {
        var result = SweepSpec.Parse(Quickstart);

        Assert.True(result.IsValid, string.Join("\n", result.Errors));
        var spec = result.Spec!;
        Assert.Equal("quickstart", spec.Name);
        Assert.Equal("adding", spec.Task.Name);
        Assert.Equal(40L, spec.Task.Options.GetLong("length"));
        Assert.Equal(new MetricSpec("valid.mse", MetricDirection.Minimize), spec.Metric);
        Assert.Equal("adam", spec.Fixed.GetString("optimizer"));
        Assert.Equal(SamplerType.Stratified, spec.Sampler.Type);
        Assert.Equal("cell", spec.Sampler.StratifyBy);
        Assert.Equal(new RealDomain(1e-4, 1e-2, Log: true), spec.Space["lr"].Domain);
        Assert.Equal(new IntegerDomain(20, 200, Log: false), spec.Space["hidden"].Domain);
        Assert.True(spec.Space["momentum"].Condition!.Requirements.ContainsKey("optimizer"));
        Assert.Equal(EarlyStoppingType.Asha, spec.EarlyStopping.Type);
        Assert.Equal(2, spec.EarlyStopping.GracePeriod);
        Assert.Equal(3.0, spec.EarlyStopping.ReductionFactor);
        Assert.Equal(20, spec.EarlyStopping.MaxEpochs);
        Assert.Equal(new BudgetSpec(30, null, 4, 20, TimeSpan.FromHours(2)), spec.Budget);
        Assert.Equal(2, spec.Retries);
        Assert.Equal(1L, spec.Seed);
    }

    [Fact]
    public void Json_and_yaml_give_the_same_spec()
    {
        var fromYaml = SweepSpec.ParseOrThrow(Quickstart);
        var fromJson = SweepSpec.ParseOrThrow(QuickstartJson);

        Assert.Equal(Describe(fromYaml), Describe(fromJson));
    }

    [Fact]
    public void Conditions_are_ordered_after_what_they_read()
    {
        var spec = SweepSpec.ParseOrThrow(Quickstart);
        var names = spec.Space.Parameters.Select(parameter => parameter.Name).ToList();

        Assert.True(names.IndexOf("optimizer") < names.IndexOf("momentum"));
        Assert.True(names.IndexOf("cell") < names.IndexOf("forget_bias"));
    }

    [Fact]
    public void Every_error_is_reported_at_once_with_its_path()
    {
        var text = Quickstart
            .Replace("loguniform: [1.0e-4, 1.0e-2]", "loguniform: [0, 1.0e-2]")
            .Replace("hidden: { int: [20, 200] }", "hiden: { int: [20, 200] }")
            .Replace("reduction_factor: 3", "reduction_factr: 3")
            .Replace("direction: minimize", "direction: minimise");

        var errors = SweepSpec.Parse(text).Errors.Select(error => error.ToString()).ToList();

        Assert.Contains("search.space.lr.loguniform[0]: must be > 0 on a log scale", errors);
        Assert.Contains("search.space.hiden: unknown parameter; did you mean 'hidden'?", errors);
        Assert.Contains("early_stopping.reduction_factr: unknown key; did you mean 'reduction_factor'?", errors);
        Assert.Contains(errors, error => error.StartsWith("metric.direction: 'minimise' is not one of") && error.EndsWith("did you mean 'minimize'?"));
        Assert.Equal(4, errors.Count);
    }

    [Theory]
    [InlineData("trials: 30", "trials: 1000000", "budget.trials: must be between 1 and 100000")]
    [InlineData("hidden: { int: [20, 200] }", "hidden: { int: [20, 100000] }", "search.space.hidden.int[1]: hidden must be <= 4096")]
    [InlineData("layers: 1,", "layers: 64,", "fixed.layers: layers must be <= 16")]
    [InlineData("length: 40", "length: 1000000", "task.options.length: a sequence length must be between 1 and 10000")]
    [InlineData("parallelism: 4", "parallelism: 100000", "budget.parallelism: must be between 1 and 1024")]
    [InlineData("time_limit: 2h", "time_limit: 400d", "budget.time_limit: must be between 1s and 30 days")]
    public void Sizes_are_bounded(string original, string replacement, string expectedPrefix)
    {
        var errors = SweepSpec.Parse(Quickstart.Replace(original, replacement)).Errors;

        Assert.Contains(errors, error => error.ToString().StartsWith(expectedPrefix));
    }

    [Theory]
    [InlineData("cell: { categorical: [rnn-tanh, lstm, gru] }", "cell: { categorical: [rnn-tanh, lstn, gru] }",
        "search.space.cell.categorical[1]: 'lstn' is not a valid cell")]
    [InlineData("hidden: { int: [20, 200] }", "hidden: { uniform: [20, 200] }", "search.space.hidden.uniform: hidden takes integers")]
    [InlineData("hidden: { int: [20, 200] }", "hidden: { int: [200, 20] }", "search.space.hidden.int: low (200) must be <= high (20)")]
    [InlineData("when: { optimizer: sgd }", "when: { optimiser: sgd }", "search.space.momentum.when.optimiser: unknown parameter; did you mean 'optimizer'?")]
    [InlineData("when: { optimizer: sgd }", "when: { dropout: 0.5 }", "search.space.momentum.when.dropout: is neither in fixed nor in search.space")]
    [InlineData("optimizer: adam", "optimizer: rmsprop", "fixed.optimizer: 'rmsprop' is not a valid optimizer")]
    [InlineData("by: cell", "by: lr", "search.sampler.by: 'lr' must be an unconditional categorical")]
    [InlineData("trials: 30", "trials: 30, trials_per_stratum: 3", "budget.trials_per_stratum: give either trials or trials_per_stratum")]
    [InlineData("time_limit: 2h", "time_limit: soon", "budget.time_limit: 'soon' is not a duration")]
    [InlineData("retries: 2", "retries: 2\nsede: 2", "sede: unknown key; did you mean 'seed'?")]
    [InlineData("lr: { loguniform: [1.0e-4, 1.0e-2] }", "lr: { loguniform: [1.0e-4, 1.0e-2], uniform: [0, 1] }", "search.space.lr: gives loguniform and uniform")]
    public void Bad_input_names_the_field_and_the_reason(string original, string replacement, string expectedPrefix)
    {
        Assert.Contains(original, Quickstart);

        var errors = SweepSpec.Parse(Quickstart.Replace(original, replacement)).Errors;

        Assert.Contains(errors, error => error.ToString().StartsWith(expectedPrefix));
    }

    [Fact]
    public void A_parameter_in_both_fixed_and_space_is_rejected()
    {
        var errors = SweepSpec.Parse(Quickstart.Replace("batch: 32", "batch: 32, hidden: 50")).Errors;

        Assert.Contains(errors, error => error.Path == "search.space.hidden" && error.Reason.Contains("also set in fixed"));
    }

    [Fact]
    public void Cyclic_conditions_are_rejected()
    {
        var text = Quickstart.Replace("lr: { loguniform: [1.0e-4, 1.0e-2] }",
            "lr: { loguniform: [1.0e-4, 1.0e-2], when: { dropout: 0.5 } }\n    dropout: { categorical: [0.0, 0.5], when: { lr: 0.001 } }");

        var errors = SweepSpec.Parse(text).Errors;

        Assert.Contains(errors, error => error.Path == "search.space" && error.Reason.Contains("cycle"));
    }

    [Fact]
    public void Malformed_text_is_a_single_clear_error()
    {
        var yaml = SweepSpec.Parse("name: [unclosed");
        var json = SweepSpec.Parse("{ \"name\": ");

        Assert.StartsWith("(spec): not valid YAML at line ", Assert.Single(yaml.Errors).ToString());
        Assert.StartsWith("(spec): not valid JSON", Assert.Single(json.Errors).ToString());
    }

    [Fact]
    public void Trials_per_stratum_multiply_by_the_strata()
    {
        var spec = SweepSpec.ParseOrThrow(Quickstart.Replace("trials: 30", "trials_per_stratum: 7"));

        Assert.Equal(21, spec.Budget.Trials);
        Assert.Equal(7, spec.Budget.TrialsPerStratum);
    }

    [Fact]
    public void A_grid_without_a_trial_count_runs_every_point()
    {
        var spec = SweepSpec.ParseOrThrow(Quickstart
            .Replace("{ type: stratified, by: cell, seed: 1 }", "{ type: grid, resolution: 2 }")
            .Replace("trials: 30, ", ""));

        // 3 cells × 2 lr × 2 hidden, and forget_bias (2 points) only where cell is lstm: 2·4 + 1·2·4.
        Assert.Equal(16, spec.Budget.Trials);
    }

    [Fact]
    public void Integers_given_for_real_parameters_become_reals()
    {
        var spec = SweepSpec.ParseOrThrow(Quickstart.Replace("batch: 32", "batch: 32, clip: 5"));

        Assert.Equal(ParameterKind.Real, spec.Fixed["clip"].Kind);
    }

    [Theory]
    [InlineData("experiments/odyssey-jsb.yaml", 9, 1800)]
    [InlineData("experiments/odyssey-jsb-small.yaml", 9, 180)]
    [InlineData("experiments/jozefowicz-music.yaml", 6, 600)]
    [InlineData("experiments/jozefowicz-music-small.yaml", 6, 60)]
    [InlineData("experiments/cloze-bidirectional.yaml", 2, 8)]
    [InlineData("experiments/translate-encoders.yaml", 3, 6)]
    public void Shipped_experiments_are_valid(string path, int cells, int trials)
    {
        var result = SweepSpec.Parse(RepositoryFiles.Read(path));

        Assert.True(result.IsValid, string.Join("\n", result.Errors));
        Assert.Equal(cells, ((CategoricalDomain)result.Spec!.Space["cell"].Domain).Choices.Count);
        Assert.Equal(trials, result.Spec.Budget.Trials);
    }

    [Theory]
    [InlineData("experiments/jozefowicz-search.yaml", 300)]
    [InlineData("experiments/jozefowicz-search-cluster.yaml", 150)]
    public void The_evolutionary_cell_searches_are_valid_and_the_cluster_one_screens_its_candidates(string path, int trials)
    {
        var result = SweepSpec.Parse(RepositoryFiles.Read(path));

        Assert.True(result.IsValid, string.Join("\n", result.Errors));
        Assert.Equal(trials, result.Spec!.Budget.Trials);
        Assert.Equal(path.Contains("cluster", StringComparison.Ordinal), result.Spec.Fixed.ContainsKey("screen_task"));
    }

    [Theory]
    [InlineData("experiments/odyssey-jsb.yaml", 150, 15)]
    [InlineData("experiments/odyssey-jsb-small.yaml", 10, 3)]
    public void The_odyssey_experiments_sample_the_papers_search_space(string path, int epochs, int patience)
    {
        var spec = SweepSpec.ParseOrThrow(RepositoryFiles.Read(path));

        // Greff et al., Sec. IV: lr log-uniform in [1e-6, 1e-2], blocks log-uniform in [20, 200], momentum 1 − a
        // log-uniform sample from [0.01, 1], input-noise std uniform in [0, 1]; online SGD with Nesterov momentum.
        Assert.Equal(new RealDomain(1e-6, 1e-2, Log: true), spec.Space["lr"].Domain);
        Assert.Equal(new IntegerDomain(20, 200, Log: true), spec.Space["hidden"].Domain);
        Assert.Equal(new OneMinusLogDomain(0.01, 1.0), spec.Space["momentum"].Domain);
        Assert.Equal(new RealDomain(0, 1, Log: false), spec.Space["input_noise"].Domain);
        Assert.Equal("sgd", spec.Fixed["optimizer"].AsString());
        Assert.Equal(1, spec.Fixed["batch"].AsLong());
        Assert.False(spec.Fixed["bidirectional"].AsBool());
        Assert.Equal(1.0, spec.Fixed["lr_decay"].AsDouble());
        Assert.Equal(epochs, spec.Fixed["epochs"].AsLong());
        Assert.Equal(patience, spec.Fixed["patience"].AsLong());
        Assert.Equal(SamplerType.Stratified, spec.Sampler.Type);
    }

    private static string Describe(SweepSpec spec) => string.Join("|",
        spec.Name, spec.Task.Name, spec.Task.Options.ToJson(), spec.Metric, spec.Fixed.ToJson(), spec.Sampler, spec.EarlyStopping,
        spec.Budget, spec.Retries, spec.Seed,
        string.Join(";", spec.Space.Parameters.Select(parameter =>
            $"{parameter.Name}:{DescribeDomain(parameter.Domain)}:{parameter.Condition}")));

    private static string DescribeDomain(ParameterDomain domain) => domain is CategoricalDomain categorical
        ? string.Join(",", categorical.Choices)
        : domain.ToString();
}
