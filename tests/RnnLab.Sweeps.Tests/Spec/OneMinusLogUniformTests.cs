using RnnLab.Sweeps.Analysis;
using RnnLab.Sweeps.Parameters;
using RnnLab.Sweeps.Sampling;
using RnnLab.Sweeps.Space;
using RnnLab.Sweeps.Spec;
using RnnLab.Sweeps.Trials;

namespace RnnLab.Sweeps.Tests.Spec;

/// <summary>The Odyssey's momentum: 1 − x with x log-uniform in [0.01, 1].</summary>
public class OneMinusLogUniformTests
{
    private static string Spec(string momentum, string sampler = "random") => $$"""
        name: momentum
        task: jsb-chorales
        metric: valid.nll
        fixed: { optimizer: sgd }
        search:
          sampler: { type: {{sampler}}, seed: 7 }
          space:
            momentum: {{momentum}}
            lr: { loguniform: [1.0e-6, 1.0e-2] }
        budget: { trials: 2000 }
        """;

    [Fact]
    public void Parses_to_values_between_one_minus_high_and_one_minus_low()
    {
        var spec = SweepSpec.ParseOrThrow(Spec("{ one_minus_loguniform: [0.01, 1.0] }"));

        var domain = Assert.IsType<OneMinusLogDomain>(spec.Space["momentum"].Domain);
        Assert.Equal(0.0, domain.Low, 12);
        Assert.Equal(0.99, domain.High, 12);
    }

    [Theory]
    [InlineData("random")]
    [InlineData("sobol")]
    public void One_minus_the_sample_is_log_uniform(string samplerType)
    {
        var spec = SweepSpec.ParseOrThrow(Spec("{ one_minus_loguniform: [0.01, 1.0] }", samplerType));
        var sampler = SamplerFactory.Create(spec);
        var momenta = Enumerable.Range(0, 2000).Select(_ => sampler.Ask()!["momentum"].AsDouble()).ToList();

        Assert.All(momenta, m => Assert.InRange(m, 0.0, 0.99));
        // log10(1 − m) is uniform on [−2, 0]: each half of that range holds half the samples, so half the
        // momenta lie above 0.9 (a linear uniform on [0, 0.99] would put about 9 % there).
        var aboveNinety = momenta.Count(m => m > 0.9) / (double)momenta.Count;
        Assert.InRange(aboveNinety, 0.45, 0.55);
        var aboveNinetyFive = momenta.Count(m => 1 - m < Math.Pow(10, -1.5)) / (double)momenta.Count;
        Assert.InRange(aboveNinetyFive, 0.20, 0.30);
    }

    [Theory]
    [InlineData("{ one_minus_loguniform: [0, 1.0] }", "search.space.momentum.one_minus_loguniform[0]", "> 0 on a log scale")]
    [InlineData("{ one_minus_loguniform: [1.0e-6, 1.0] }", "search.space.momentum.one_minus_loguniform[0]", "momentum must be <= 0.9999")]
    [InlineData("{ one_minus_loguniform: [0.01, 2.0] }", "search.space.momentum.one_minus_loguniform[1]", "momentum must be >= 0")]
    [InlineData("{ one_minus_loguniform: [0.5, 0.1] }", "search.space.momentum.one_minus_loguniform", "must be < high")]
    [InlineData("{ one_minus_loguniform: [0.01] }", "search.space.momentum.one_minus_loguniform", "[low, high]")]
    public void Bad_bounds_are_named_by_path(string momentum, string path, string reason)
    {
        var errors = SweepSpec.Parse(Spec(momentum)).Errors;

        Assert.Contains(errors, e => e.Path == path && e.Reason.Contains(reason, StringComparison.Ordinal));
    }

    [Fact]
    public void An_integer_parameter_cannot_take_it()
    {
        var errors = SweepSpec.Parse(Spec("{ one_minus_loguniform: [0.01, 1.0] }").Replace("lr: { loguniform: [1.0e-6, 1.0e-2] }", "hidden: { one_minus_loguniform: [0.01, 1.0] }")).Errors;

        Assert.Contains(errors, e => e.Path == "search.space.hidden.one_minus_loguniform" && e.Reason.Contains("integers", StringComparison.Ordinal));
    }

    [Fact]
    public void Fanova_analyses_it_in_its_sampling_scale()
    {
        // The metric depends on log(1 − momentum) only: in that scale fANOVA gives momentum nearly all the variance,
        // and the marginal curve runs from momentum 0 to 0.99, falling as 1 − momentum shrinks.
        var spec = SweepSpec.ParseOrThrow(Spec("{ one_minus_loguniform: [0.01, 1.0] }"));
        var sampler = SamplerFactory.Create(spec);
        var trials = Enumerable.Range(0, 200).Select(i =>
        {
            var parameters = sampler.Ask()!;
            var metric = 5 + Math.Log10(1 - parameters["momentum"].AsDouble());
            return new TrialSnapshot(i, parameters, TrialState.Completed, metric);
        }).ToList();

        var report = FanovaAnalysis.Analyze(trials, spec.Space, spec.Metric);

        Assert.Equal("momentum", report.MainEffects[0].Parameter);
        Assert.True(report.MainEffects[0].Fraction > 0.9, $"momentum explains {report.MainEffects[0].Fraction}");
        var curve = report.Curves.Single(c => c.Parameter == "momentum");
        Assert.Equal(0.0, curve.Points[0].Value.AsDouble(), 6);
        Assert.Equal(0.99, curve.Points[^1].Value.AsDouble(), 6);
        Assert.True(curve.Points[^1].Mean < curve.Points[0].Mean - 1.5, "the marginal should fall by about 2 over the range");
    }
}
