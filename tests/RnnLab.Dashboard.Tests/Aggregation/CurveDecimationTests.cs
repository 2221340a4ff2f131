using RnnLab.Dashboard.Aggregation;

namespace RnnLab.Dashboard.Tests.Aggregation;

public class CurveDecimationTests
{
    private static CurvePoint[] Line(int count, Func<int, double> y) => Enumerable.Range(1, count).Select(i => new CurvePoint(i, y(i))).ToArray();

    [Fact]
    public void Short_curves_come_back_whole()
    {
        var curve = Line(10, i => 1.0 / i);
        Assert.Equal(curve, CurveDecimation.Decimate(curve, 10));
    }

    [Fact]
    public void Long_curves_keep_at_most_the_limit_with_both_ends_in_order()
    {
        var curve = Line(5000, i => Math.Sin(i / 50.0));
        var thinned = CurveDecimation.Decimate(curve, 100);
        Assert.Equal(100, thinned.Count);
        Assert.Equal(curve[0], thinned[0]);
        Assert.Equal(curve[^1], thinned[^1]);
        Assert.True(thinned.Zip(thinned.Skip(1)).All(pair => pair.First.X < pair.Second.X));
        Assert.All(thinned, p => Assert.Contains(p, curve));
    }

    [Fact]
    public void A_single_spike_survives_decimation()
    {
        var curve = Line(1000, i => i == 637 ? 50 : 1);
        var thinned = CurveDecimation.Decimate(curve, 20);
        Assert.Contains(new CurvePoint(637, 50), thinned);
    }

    [Fact]
    public void Non_finite_values_are_dropped()
    {
        var curve = new[] { new CurvePoint(1, 2), new CurvePoint(2, double.NaN), new CurvePoint(3, double.PositiveInfinity), new CurvePoint(4, 1) };
        Assert.Equal([new CurvePoint(1, 2), new CurvePoint(4, 1)], CurveDecimation.Decimate(curve, 3));
    }

    [Fact]
    public void A_limit_below_three_is_refused()
    {
        var exception = Assert.Throws<ArgumentOutOfRangeException>(() => CurveDecimation.Decimate(Line(10, i => i), 2));
        Assert.Equal("maxPoints", exception.ParamName);
    }
}
