using Grpc.Core;
using RnnLab.Contracts.V1;

namespace RnnLab.Server.Tests;

/// <summary>A server with tight limits on expensive reads.</summary>
public sealed class TightLimitsFixture : ServerFixture
{
    protected override IReadOnlyDictionary<string, string?> ExtraSettings => new Dictionary<string, string?>
    {
        ["Api:RateLimits:ExpensivePerMinute"] = "3",
        ["Api:RateLimits:WatchStreams"] = "1",
    };
}

public sealed class RateLimitTests(TightLimitsFixture fixture) : IClassFixture<TightLimitsFixture>
{
    [Fact]
    public async Task Expensive_reads_past_the_limit_are_resource_exhausted_per_caller_and_cheap_reads_are_not_limited()
    {
        var sweep = (await fixture.Client.SubmitSweepAsync(new SubmitSweepRequest { SpecYaml = Specs.Quadratic("limits", trials: 3, epochs: 1) })).Sweep;
        var analyze = new AnalyzeSweepRequest { SweepId = sweep.Id };
        var alice = fixture.ClientWithKey("alice");

        for (var i = 0; i < 3; i++)
        {
            await alice.AnalyzeSweepAsync(analyze);
        }

        var error = await GrpcAssert.FailsAsync(StatusCode.ResourceExhausted, () => alice.AnalyzeSweepAsync(analyze).ResponseAsync);
        await GrpcAssert.FailsAsync(StatusCode.ResourceExhausted,
            () => alice.GenerateTextAsync(new GenerateTextRequest { TrialId = Guid.NewGuid().ToString(), Length = 1 }).ResponseAsync);
        Assert.Contains("too many", error.Status.Detail);
        // The sweep page's charts are an expensive read too: same bucket.
        await GrpcAssert.FailsAsync(StatusCode.ResourceExhausted,
            () => alice.GetSweepChartsAsync(new GetSweepChartsRequest { SweepId = sweep.Id }).ResponseAsync);

        // Another caller has its own budget, and reads outside the policy stay open to the first.
        await fixture.ClientWithKey("bob").AnalyzeSweepAsync(analyze);
        for (var i = 0; i < 10; i++)
        {
            await alice.GetSweepAsync(new GetSweepRequest { SweepId = sweep.Id });
        }
    }

    [Fact]
    public async Task A_caller_may_hold_only_so_many_watch_streams_open()
    {
        var sweep = (await fixture.Client.SubmitSweepAsync(new SubmitSweepRequest { SpecYaml = Specs.Quadratic("watch-limit", trials: 2, epochs: 1, delayMs: 60_000) })).Sweep;
        var carol = fixture.ClientWithKey("carol");
        using var first = carol.WatchSweep(new WatchSweepRequest { SweepId = sweep.Id });
        Assert.True(await first.ResponseStream.MoveNext(CancellationToken.None));

        using var second = carol.WatchSweep(new WatchSweepRequest { SweepId = sweep.Id });
        var error = await Assert.ThrowsAsync<RpcException>(() => second.ResponseStream.MoveNext(CancellationToken.None));

        Assert.Equal(StatusCode.ResourceExhausted, error.StatusCode);
        await fixture.Client.CancelSweepAsync(new SweepActionRequest { SweepId = sweep.Id });
    }
}
