namespace RnnLab.Training.Tests;

public sealed class EarlyStoppingTests
{
    [Fact]
    public void StopsAfterPatienceEpochsWithoutImprovement()
    {
        var stopping = new EarlyStopping(lowerIsBetter: true, patience: 2, lrPatience: 0);

        Assert.True(stopping.Observe(1, 5.0));
        Assert.True(stopping.Observe(2, 4.0));
        Assert.False(stopping.Observe(3, 4.5));
        Assert.False(stopping.Stopped);
        Assert.False(stopping.Observe(4, 4.0));
        Assert.True(stopping.Stopped);
        Assert.Equal(2, stopping.BestEpoch);
        Assert.Equal(4.0, stopping.BestValue);
    }

    [Fact]
    public void HigherIsBetterMetricsImproveUpwards()
    {
        var stopping = new EarlyStopping(lowerIsBetter: false, patience: 0, lrPatience: 0);

        stopping.Observe(1, 0.5);
        Assert.True(stopping.Observe(2, 0.7));
        Assert.False(stopping.Observe(3, 0.6));
        Assert.False(stopping.Stopped);
    }

    [Fact]
    public void LearningRateDecaysOnAPlateau()
    {
        var stopping = new EarlyStopping(lowerIsBetter: true, patience: 0, lrPatience: 2);

        Assert.False(stopping.ObservePlateau(3.0));
        Assert.False(stopping.ObservePlateau(3.1));
        Assert.True(stopping.ObservePlateau(3.2));
        Assert.False(stopping.ObservePlateau(3.3));
        Assert.False(stopping.ObservePlateau(2.0));
    }
}
