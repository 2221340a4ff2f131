namespace RnnLab.Storage.Tests;

public abstract partial class StoreConformanceTests
{
    [Fact]
    public async Task A_finished_trial_reopens_once_with_its_outcome_cleared_and_an_unfinished_one_does_not()
    {
        var (sweep, _) = await Stores.Sweeps.CreateAsync(new NewSweep("reopen", "spec"));
        var failed = await Stores.Trials.AddAsync(new NewTrial(sweep.Id, 0, "{}"));
        var pending = await Stores.Trials.AddAsync(new NewTrial(sweep.Id, 1, "{}"));
        await Stores.Trials.TryFinishAsync(failed.Id, new TrialOutcome(TrialState.Failed, "{\"x\": 1}", 2.5, "boom", DateTime.UtcNow));

        Assert.True(await Stores.Trials.ReopenAsync(failed.Id));
        Assert.False(await Stores.Trials.ReopenAsync(failed.Id));
        Assert.False(await Stores.Trials.ReopenAsync(pending.Id));
        var reopened = (await Stores.Trials.GetAsync(failed.Id))!;
        Assert.Equal((TrialState.Pending, (string?)null, (double?)null, (string?)null, (DateTime?)null),
            (reopened.State, reopened.ResultJson, reopened.Objective, reopened.Error, reopened.FinishedAt));
    }

    [Fact]
    public async Task Extra_trials_add_up_on_the_sweep_and_an_unknown_sweep_is_an_error()
    {
        var (sweep, _) = await Stores.Sweeps.CreateAsync(new NewSweep("grow", "spec"));

        Assert.Equal(10, await Stores.Sweeps.AddTrialsAsync(sweep.Id, 10));
        Assert.Equal(15, await Stores.Sweeps.AddTrialsAsync(sweep.Id, 5));
        Assert.Equal(15, (await Stores.Sweeps.GetAsync(sweep.Id))!.ExtraTrials);
        await Assert.ThrowsAsync<KeyNotFoundException>(() => Stores.Sweeps.AddTrialsAsync(Guid.NewGuid(), 1));
    }
}
