using Microsoft.Extensions.Logging.Abstractions;
using Orleans.Runtime;
using RnnLab.Grains.Workers;

namespace RnnLab.Grains.Tests;

/// <summary>The worker's retry policy for grain calls.</summary>
public sealed class ClusterCallsTests
{
    [Fact]
    public async Task A_call_is_retried_while_the_cluster_heals()
    {
        var calls = new ClusterCalls(CancellationToken.None, NullLogger.Instance);
        var tries = 0;

        var result = await calls.CallAsync(() => ++tries < 3 ? throw new OrleansException("silo gone") : Task.FromResult(42));

        Assert.Equal(42, result);
        Assert.Equal(3, tries);
    }

    [Fact]
    public async Task An_error_of_the_call_itself_is_not_retried()
    {
        var calls = new ClusterCalls(CancellationToken.None, NullLogger.Instance);
        var tries = 0;

        await Assert.ThrowsAsync<ArgumentException>(() => calls.CallAsync<int>(() => { tries++; throw new ArgumentException("bad"); }));

        Assert.Equal(1, tries);
    }

    [Fact]
    public async Task A_stopping_worker_gives_up_at_once()
    {
        using var stopping = new CancellationTokenSource();
        await stopping.CancelAsync();
        var calls = new ClusterCalls(stopping.Token, NullLogger.Instance);
        var tries = 0;

        await Assert.ThrowsAsync<OrleansException>(() => calls.CallAsync<int>(() => { tries++; throw new OrleansException("silo gone"); }));

        Assert.Equal(1, tries);
    }

    [Fact]
    public void The_pause_grows_by_a_tenth_of_a_second_up_to_a_second()
    {
        Assert.Equal(TimeSpan.FromMilliseconds(100), ClusterCalls.Pause(0));
        Assert.Equal(TimeSpan.FromMilliseconds(300), ClusterCalls.Pause(2));
        Assert.Equal(TimeSpan.FromSeconds(1), ClusterCalls.Pause(20));
    }

    [Fact]
    public async Task A_failed_report_is_tried_once_and_not_thrown()
    {
        var calls = new ClusterCalls(CancellationToken.None, NullLogger.Instance);
        var tries = 0;

        var report = calls.TryReportAsync(() => { tries++; throw new OrleansException("gone"); });
        await report;

        Assert.True(report.IsCompletedSuccessfully);
        Assert.Equal(1, tries);
    }
}
