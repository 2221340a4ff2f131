using Grpc.Net.Client;
using RnnLab.Contracts.V1;
using RnnLab.Contracts.Watching;
using RnnLab.Tests.Shared;

namespace RnnLab.Server.Tests.Watching;

/// <summary>The shared watch client against a real server, with the network between them cut mid-sweep.</summary>
[Collection(ServerCollection.Name)]
public sealed class SweepWatchClientTests(ServerFixture fixture)
{
    [Fact]
    public async Task A_watch_cut_mid_sweep_resumes_and_ends_with_the_servers_counts()
    {
        await using var relay = new TcpRelay(fixture.Server.Address.Host, fixture.Server.Address.Port);
        using var channel = GrpcChannel.ForAddress($"http://127.0.0.1:{relay.Port}");
        var client = new SweepService.SweepServiceClient(channel);
        var submitted = await fixture.Client.SubmitSweepAsync(new SubmitSweepRequest
        {
            SpecYaml = Specs.Quadratic("watch-resume", trials: 6, epochs: 5, delayMs: 60, parallelism: 2),
        });
        var start = LiveSweep.Start(submitted.Sweep);
        var updates = new List<WatchUpdate>();
        Task? outage = null;
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));

        var watch = new SweepWatchClient(client);
        var view = await watch.FollowAsync(start, (update, current) =>
        {
            updates.Add(update);
            // Cut the link after a few events, while trials still run, and keep it down through several reconnects.
            if (outage is null && updates.OfType<WatchUpdate.EventRead>().Count() == 4)
            {
                Assert.True(current.IsLive);
                relay.TakeDown();
                outage = Task.Delay(TimeSpan.FromSeconds(1.5), timeout.Token).ContinueWith(_ => relay.BringBack(), TaskScheduler.Default);
            }
        }, timeout.Token);

        Assert.NotNull(outage);
        var lost = updates.OfType<WatchUpdate.ConnectionLost>().ToList();
        Assert.True(lost.Count >= 2, $"{lost.Count} reconnect attempts");
        Assert.Equal(Enumerable.Range(1, lost.Count), lost.Select(l => l.Attempt));
        Assert.Single(updates.OfType<WatchUpdate.ConnectionRestored>());
        Assert.Single(updates.OfType<WatchUpdate.SnapshotRead>());

        // Every event arrived once and in order across the cut.
        var sequences = updates.OfType<WatchUpdate.EventRead>().Select(e => e.Event.Sequence).ToList();
        Assert.Equal(Enumerable.Range((int)start.LastEvent + 1, sequences.Count).Select(i => (long)i), sequences);

        var final = await fixture.Client.GetSweepAsync(new GetSweepRequest { SweepId = submitted.Sweep.Id });
        Assert.Equal(SweepState.Completed, final.State);
        Assert.Equal(SweepState.Completed, view.Sweep.State);
        Assert.False(view.IsLive);
        Assert.Equal(final.LastEvent, view.LastEvent);
        Assert.Equal(final.Trials, view.Counts);
        Assert.Equal(6, view.Counts.Completed);
        Assert.Equal(6, view.Trials.Count);
        Assert.All(view.Trials.Values, t => Assert.Equal(5, t.LatestEpoch));
        Assert.Equal(final.BestObjective, view.Best!.Objective);
    }
}
