using Grpc.Core;
using RnnLab.Contracts.V1;

namespace RnnLab.Server.Tests;

/// <summary>Extending a finished sweep, retrying its failed trials and stopping one trial, over the API.</summary>
[Collection(ServerCollection.Name)]
public sealed class SweepGrowthTests(ServerFixture fixture)
{
    private SweepService.SweepServiceClient Client => fixture.Client;

    [Fact]
    public async Task A_finished_sweep_extended_by_ten_trials_ends_with_thirty_four_and_keeps_its_strata_even()
    {
        var sweep = (await Client.SubmitSweepAsync(new SubmitSweepRequest { SpecYaml = Specs.Quadratic("extend", trials: 24, epochs: 1) })).Sweep;
        await WaitFinishedAsync(sweep.Id);
        var before = await TrialsAsync(sweep.Id);

        var extended = await Client.ExtendSweepAsync(new ExtendSweepRequest { SweepId = sweep.Id, Trials = 10 });
        Assert.Equal(34, extended.Budget);
        var finished = await WaitFinishedAsync(sweep.Id);
        var after = await TrialsAsync(sweep.Id);

        Assert.Equal(SweepState.Completed, finished.State);
        Assert.Equal(34, after.Count);
        Assert.All(after, t => Assert.Equal(TrialState.Completed, t.State));
        Assert.Equal(Enumerable.Range(0, 34), after.Select(t => t.Number).Order());
        // The first 24 are untouched, and the sampler went on with its strata where it stopped.
        Assert.All(before, t => Assert.Equal(t.FinishedAt, after.Single(a => a.Id == t.Id).FinishedAt));
        Assert.Equal([12, 11, 11], after.GroupBy(t => t.Cell).Select(g => g.Count()).OrderDescending());

        await GrpcAssert.FailsAsync(StatusCode.InvalidArgument,
            () => Client.ExtendSweepAsync(new ExtendSweepRequest { SweepId = sweep.Id, TrialsPerStratum = 2 }).ResponseAsync);
        await GrpcAssert.FailsAsync(StatusCode.InvalidArgument,
            () => Client.ExtendSweepAsync(new ExtendSweepRequest { SweepId = sweep.Id, Trials = 1, TrialsPerStratum = 1 }).ResponseAsync);
    }

    [Fact]
    public async Task A_stratified_sweep_extended_per_stratum_adds_that_many_trials_to_each_cell()
    {
        var spec = Specs.Quadratic("extend-strata", trials: 3, epochs: 1).Replace("trials: 3,", "trials_per_stratum: 1,");
        var sweep = (await Client.SubmitSweepAsync(new SubmitSweepRequest { SpecYaml = spec })).Sweep;
        await WaitFinishedAsync(sweep.Id);

        var extended = await Client.ExtendSweepAsync(new ExtendSweepRequest { SweepId = sweep.Id, TrialsPerStratum = 2 });
        await WaitFinishedAsync(sweep.Id);

        Assert.Equal(9, extended.Budget);
        Assert.Equal([3, 3, 3], (await TrialsAsync(sweep.Id)).GroupBy(t => t.Cell).Select(g => g.Count()));
    }

    [Fact]
    public async Task Failed_trials_retried_on_request_run_again_and_the_sweep_completes()
    {
        // Every first attempt fails and the sweep allows no retry: all trials fail, then a retry succeeds.
        var spec = Specs.Quadratic("retry", trials: 3, epochs: 1).Replace("delay_ms: 0", "delay_ms: 0, fail_attempts: 1");
        var sweep = (await Client.SubmitSweepAsync(new SubmitSweepRequest { SpecYaml = spec })).Sweep;
        await WaitFinishedAsync(sweep.Id);
        Assert.All(await TrialsAsync(sweep.Id), t => Assert.Equal(TrialState.Failed, t.State));

        var retried = await Client.RetryTrialsAsync(new RetryTrialsRequest { SweepId = sweep.Id });
        var finished = await WaitFinishedAsync(sweep.Id);

        Assert.Equal(3, retried.Retried);
        Assert.Equal(SweepState.Completed, finished.State);
        Assert.All(await TrialsAsync(sweep.Id), t => Assert.Equal(TrialState.Completed, t.State));
        await GrpcAssert.FailsAsync(StatusCode.InvalidArgument, () => Client.RetryTrialsAsync(
            new RetryTrialsRequest { SweepId = sweep.Id, States = { TrialState.Completed } }).ResponseAsync);
        Assert.Equal(0, (await Client.RetryTrialsAsync(new RetryTrialsRequest { SweepId = sweep.Id })).Retried);
    }

    [Fact]
    public async Task Stopping_one_trial_ends_it_and_leaves_the_others_running()
    {
        var spec = Specs.Quadratic("stop", trials: 3, epochs: 4, delayMs: 700, parallelism: 3);
        var sweep = (await Client.SubmitSweepAsync(new SubmitSweepRequest { SpecYaml = spec })).Sweep;
        Trial running;
        using (var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30)))
        {
            while ((running = (await TrialsAsync(sweep.Id)).FirstOrDefault(t => t.State == TrialState.Running)!) is null)
            {
                await Task.Delay(100, timeout.Token);
            }
        }

        await Client.StopTrialAsync(new StopTrialRequest { TrialId = running.Id });
        await WaitFinishedAsync(sweep.Id);
        var trials = await TrialsAsync(sweep.Id);

        Assert.Equal(TrialState.Cancelled, trials.Single(t => t.Id == running.Id).State);
        Assert.All(trials.Where(t => t.Id != running.Id), t => Assert.Equal(TrialState.Completed, t.State));
        await GrpcAssert.FailsAsync(StatusCode.FailedPrecondition,
            () => Client.StopTrialAsync(new StopTrialRequest { TrialId = running.Id }).ResponseAsync);
    }

    private async Task<List<Trial>> TrialsAsync(string sweepId) =>
        (await Client.ListTrialsAsync(new ListTrialsRequest { SweepId = sweepId, PageSize = 1000 })).Trials.ToList();

    private async Task<Sweep> WaitFinishedAsync(string sweepId)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        while (true)
        {
            var sweep = await Client.GetSweepAsync(new GetSweepRequest { SweepId = sweepId }, cancellationToken: timeout.Token);
            if (sweep.State is SweepState.Completed or SweepState.Failed or SweepState.Cancelled)
            {
                return sweep;
            }

            await Task.Delay(150, timeout.Token);
        }
    }
}
