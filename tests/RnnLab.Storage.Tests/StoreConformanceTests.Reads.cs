namespace RnnLab.Storage.Tests;

/// <summary>The read side the API pages and counts with: answered by the database, never by loading every trial.</summary>
public abstract partial class StoreConformanceTests
{
    // Trial n: cell alternates lstm/gru/rnn-tanh; objective 10 − n (trial 3 none, trial 4 −Infinity, trial 5 +Infinity);
    // states: 0–5 completed, 6 failed, 7 running, 8–9 pending.
    private async Task<(Guid Sweep, IReadOnlyList<TrialRecord> Trials)> SweepToReadAsync()
    {
        var (sweep, _) = await Stores.Sweeps.CreateAsync(new NewSweep("reads", "spec"));
        string[] cells = ["lstm", "gru", "rnn-tanh"];
        var trials = await Stores.Trials.AddRangeAsync(Enumerable.Range(0, 10)
            .Select(n => new NewTrial(sweep.Id, n, $$"""{"cell": "{{cells[n % 3]}}", "lr": 0.{{n + 1}}}""")).ToList());
        for (var n = 0; n <= 6; n++)
        {
            double? objective = n switch { 3 => null, 4 => double.NegativeInfinity, 5 => double.PositiveInfinity, _ => 10 - n };
            var state = n == 6 ? TrialState.Failed : TrialState.Completed;
            Assert.True(await Stores.Trials.TryFinishAsync(trials[n].Id, new TrialOutcome(state, "{}", objective, null, DateTime.UtcNow)));
        }

        Assert.True(await Stores.Trials.MarkRunningAsync(trials[7].Id, 1, "w", DateTime.UtcNow.AddMinutes(1), null, DateTime.UtcNow));
        return (sweep.Id, trials);
    }

    [Fact]
    public async Task A_tally_counts_trials_by_state_and_keeps_only_finite_objectives()
    {
        var (sweep, _) = await SweepToReadAsync();
        var (other, _) = await Stores.Sweeps.CreateAsync(new NewSweep("other", "spec"));
        await Stores.Trials.AddAsync(new NewTrial(other.Id, 0, "{}"));
        var (empty, _) = await Stores.Sweeps.CreateAsync(new NewSweep("empty", "spec"));

        var tally = await Stores.Trials.TallyAsync(sweep);

        Assert.Equal(10, tally.Total);
        Assert.Equal((6, 1, 1, 2, 0), (tally[TrialState.Completed], tally[TrialState.Failed], tally[TrialState.Running], tally[TrialState.Pending], tally[TrialState.Cancelled]));
        Assert.Equal((4.0, 10.0), (tally.MinObjective, tally.MaxObjective));
        var several = await Stores.Trials.TallyAsync([sweep, other.Id, empty.Id]);
        Assert.Equal(10, several[sweep].Total);
        Assert.Equal(1, several[other.Id][TrialState.Pending]);
        Assert.False(several.ContainsKey(empty.Id));
        Assert.Equal(0, (await Stores.Trials.TallyAsync(empty.Id)).Total);
    }

    [Fact]
    public async Task A_page_filters_by_state_and_cell_and_counts_every_match()
    {
        var (sweep, trials) = await SweepToReadAsync();

        var completedLstm = await Stores.Trials.PageAsync(sweep, new TrialFilter([TrialState.Completed], ["lstm"]), 0, 10);
        Assert.Equal([0, 3], completedLstm.Items.Select(t => t.Number));
        Assert.Equal(2, completedLstm.Total);

        var notPending = await Stores.Trials.PageAsync(sweep, new TrialFilter([TrialState.Completed, TrialState.Failed, TrialState.Running], ["gru", "rnn-tanh"]), 1, 3);
        Assert.Equal(5, notPending.Total);
        Assert.Equal([2, 4, 5], notPending.Items.Select(t => t.Number));
        Assert.Equal(trials[2].Id, notPending.Items[0].Id);

        var nothing = await Stores.Trials.PageAsync(sweep, new TrialFilter([], ["mut1"]), 0, 10);
        Assert.Equal((0, 0), (nothing.Items.Count, nothing.Total));
        var beyond = await Stores.Trials.PageAsync(sweep, TrialFilter.All, 20, 5);
        Assert.Equal((0, 10), (beyond.Items.Count, beyond.Total));
    }

    [Fact]
    public async Task A_page_orders_by_objective_either_way_with_trials_without_one_last()
    {
        var (sweep, _) = await SweepToReadAsync();
        var finite = new TrialFilter([TrialState.Completed, TrialState.Failed, TrialState.Running], ["lstm", "gru"]);

        var ascending = await Stores.Trials.PageAsync(sweep, finite with { Order = TrialOrder.ObjectiveAscending }, 0, 10);
        var descending = await Stores.Trials.PageAsync(sweep, finite with { Order = TrialOrder.ObjectiveDescending }, 0, 10);

        // lstm and gru: trials 0 (10), 1 (9), 3 (none), 4 (−Infinity), 6 (4, failed), 7 (running, none).
        Assert.Equal([4, 6, 1, 0, 3, 7], ascending.Items.Select(t => t.Number));
        Assert.Equal([0, 1, 6, 4, 3, 7], descending.Items.Select(t => t.Number));
    }

    [Fact]
    public async Task Trials_are_pageable_by_the_cell_they_were_created_with_and_a_missing_cell_matches_no_cell_filter()
    {
        var (sweep, _) = await Stores.Sweeps.CreateAsync(new NewSweep("cells", "spec"));
        await Stores.Trials.AddRangeAsync([
            new NewTrial(sweep.Id, 0, """{"cell": "gru"}"""),
            new NewTrial(sweep.Id, 1, """{"hidden": 3}"""),
            new NewTrial(sweep.Id, 2, """{"cell": 7}"""),
        ]);

        var gru = await Stores.Trials.PageAsync(sweep.Id, new TrialFilter([], ["gru"]), 0, 10);
        var all = await Stores.Trials.PageAsync(sweep.Id, TrialFilter.All, 0, 10);

        Assert.Equal([0], gru.Items.Select(t => t.Number));
        Assert.Equal(3, all.Total);
    }
}
