using RnnLab.Contracts.V1;

namespace RnnLab.Server.Tests;

[Collection(ServerCollection.Name)]
public sealed class TimeLimitTests(ServerFixture fixture)
{
    [Fact]
    public async Task A_sweep_past_its_time_limit_stops_proposing_cancels_what_is_left_and_completes()
    {
        // 40 trials of 3 epochs × 1 s on 2 in parallel would take a minute; the limit stops it after 2 s, mid-trial.
        var spec = Specs.Quadratic("time-limit", trials: 40, epochs: 3, delayMs: 1000, parallelism: 2)
            .Replace("budget: {", "budget: { time_limit: 2s,");
        var submitted = await fixture.Client.SubmitSweepAsync(new SubmitSweepRequest { SpecYaml = spec });

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        Sweep sweep;
        do
        {
            await Task.Delay(250, timeout.Token);
            sweep = await fixture.Client.GetSweepAsync(new GetSweepRequest { SweepId = submitted.Sweep.Id }, cancellationToken: timeout.Token);
        }
        while (sweep.State is SweepState.Running);

        var trials = (await fixture.Client.ListTrialsAsync(new ListTrialsRequest { SweepId = sweep.Id, PageSize = 100 })).Trials;
        Assert.Equal(SweepState.Completed, sweep.State);
        Assert.InRange(trials.Count, 1, 10);
        Assert.Contains(trials, t => t.State == TrialState.Cancelled);
        Assert.All(trials, t => Assert.True(t.State is TrialState.Completed or TrialState.Cancelled, $"trial {t.Number} ended {t.State}"));
    }
}
