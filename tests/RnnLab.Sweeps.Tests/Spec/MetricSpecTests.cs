using RnnLab.Sweeps.Spec;

namespace RnnLab.Sweeps.Tests.Spec;

/// <summary>Which of two metric values is better follows the metric's direction; missing or non-finite ones never win.</summary>
public sealed class MetricSpecTests
{
    [Theory]
    [InlineData(MetricDirection.Minimize, 2.0, 1.0, 1.0)]
    [InlineData(MetricDirection.Minimize, 1.0, 2.0, 1.0)]
    [InlineData(MetricDirection.Maximize, 2.0, 1.0, 2.0)]
    [InlineData(MetricDirection.Maximize, 1.0, 2.0, 2.0)]
    public void The_better_value_follows_the_direction(MetricDirection direction, double best, double candidate, double expected) =>
        Assert.Equal(expected, new MetricSpec("m", direction).Better(best, candidate));

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.NegativeInfinity)]
    [InlineData(double.PositiveInfinity)]
    public void A_non_finite_candidate_never_wins(double candidate)
    {
        var metric = new MetricSpec("m", MetricDirection.Minimize);
        Assert.Equal(3.0, metric.Better(3.0, candidate));
        Assert.Null(metric.Better(null, candidate));
    }

    [Fact]
    public void The_first_finite_value_is_the_best_so_far()
    {
        var metric = new MetricSpec("m", MetricDirection.Maximize);
        Assert.Equal(-5.0, metric.Better(null, -5.0));
        Assert.Equal(4.0, metric.Better(4.0, null));
    }
}
