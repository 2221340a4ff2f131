namespace RnnLab.Storage.Tests;

/// <summary>Keyset pages: walking them in any order and filter gives the sorted list, each trial once.</summary>
public abstract partial class StoreConformanceTests
{
    // 24 trials: cells cycle lstm/gru/rnn-tanh/none; objective (n * 7) % 5, so every value is shared by several
    // trials, except trials 2, 9, 15 (none), 4 (−Infinity) and 11 (+Infinity); trials 0–17 finish (every fifth
    // pruned, 13 failed), 18–19 run, 20–23 are pending.
    private async Task<(Guid Sweep, IReadOnlyList<TrialRecord> Trials)> SweepToSeekAsync()
    {
        var (sweep, _) = await Stores.Sweeps.CreateAsync(new NewSweep("seek", "spec"));
        await Stores.Trials.AddRangeAsync(Enumerable.Range(0, 24)
            .Select(n => new NewTrial(sweep.Id, n, SeekCell(n) is { } cell ? $$"""{"cell": "{{cell}}"}""" : """{"lr": 0.1}""")).ToList());
        var trials = await Stores.Trials.ListAsync(sweep.Id);
        for (var n = 0; n < 18; n++)
        {
            double? objective = n switch { 2 or 9 or 15 => null, 4 => double.NegativeInfinity, 11 => double.PositiveInfinity, _ => n * 7 % 5 };
            var state = n == 13 ? TrialState.Failed : n % 5 == 0 ? TrialState.Pruned : TrialState.Completed;
            Assert.True(await Stores.Trials.TryFinishAsync(trials[n].Id, new TrialOutcome(state, "{}", objective, null, DateTime.UtcNow)));
        }

        foreach (var n in new[] { 18, 19 })
        {
            Assert.True(await Stores.Trials.MarkRunningAsync(trials[n].Id, 1, "w", DateTime.UtcNow.AddMinutes(1), null, DateTime.UtcNow));
        }

        return (sweep.Id, await Stores.Trials.ListAsync(sweep.Id));
    }

    public static TheoryData<int> PageSizes => new() { 1, 2, 5, 24, 100 };

    [Theory]
    [MemberData(nameof(PageSizes))]
    public async Task Walking_seek_pages_gives_the_sorted_trials_once_in_every_order_and_filter(int take)
    {
        var (sweep, trials) = await SweepToSeekAsync();
        TrialFilter[] filters =
        [
            TrialFilter.All,
            new([TrialState.Completed], []),
            new([], ["lstm"]),
            new([TrialState.Completed, TrialState.Pruned, TrialState.Running], ["gru", "rnn-tanh"]),
            new([TrialState.Pending], []),
            new([], ["mut1"]),
        ];

        foreach (var filter in filters)
        {
            foreach (var order in Enum.GetValues<TrialOrder>())
            {
                var ordered = filter with { Order = order };
                var expected = Sorted(trials.Where(t => Passes(t, ordered)), order).Select(t => t.Number).ToList();
                var walked = new List<int>();
                TrialKey? after = null;
                var pages = 0;
                do
                {
                    var page = await Stores.Trials.SeekAsync(sweep, ordered, after, take);
                    Assert.True(page.Next is null || page.Items.Count == take, $"{order}, {take}: a page before the last is full");
                    Assert.True(page.Items.Count <= take);
                    walked.AddRange(page.Items.Select(t => t.Number));
                    after = page.Next;
                    Assert.True(++pages <= trials.Count + 1, "the walk ends");
                }
                while (after is not null);

                Assert.Equal(expected, walked);
                Assert.Equal(expected.Count, await Stores.Trials.CountAsync(sweep, ordered));
            }
        }
    }

    [Fact]
    public async Task A_seek_starts_after_its_key_with_ties_broken_by_number_and_trials_without_objective_last()
    {
        var (sweep, trials) = await SweepToSeekAsync();
        var ascending = TrialFilter.All with { Order = TrialOrder.ObjectiveAscending };
        var descending = TrialFilter.All with { Order = TrialOrder.ObjectiveDescending };

        // Objective 2 belongs to trials 1, 6 and 16 (pruned trials keep theirs); after (2, 6) come 16, 14 (3) and 7 (4).
        var afterTie = await Stores.Trials.SeekAsync(sweep, ascending, new TrialKey(2, 6), 3);
        Assert.Equal([16, 14, 7], afterTie.Items.Select(t => t.Number));
        Assert.Equal(new TrialKey(4, 7), afterTie.Next);

        // A key between values starts at the next value; a key past +Infinity starts at the trials without one.
        var between = await Stores.Trials.SeekAsync(sweep, descending, new TrialKey(3.5, 0), 2);
        Assert.Equal([14, 1], between.Items.Select(t => t.Number));
        var unscored = await Stores.Trials.SeekAsync(sweep, ascending, new TrialKey(double.PositiveInfinity, 11), 100);
        Assert.Equal([2, 9, 15, 18, 19, 20, 21, 22, 23], unscored.Items.Select(t => t.Number));
        Assert.Null(unscored.Next);
        var afterNull = await Stores.Trials.SeekAsync(sweep, descending, new TrialKey(null, 15), 2);
        Assert.Equal([18, 19], afterNull.Items.Select(t => t.Number));
        Assert.Equal(new TrialKey(null, 19), afterNull.Next);

        // Ordered by number the objective plays no part.
        var byNumber = await Stores.Trials.SeekAsync(sweep, TrialFilter.All, new TrialKey(-1, 21), 5);
        Assert.Equal([22, 23], byNumber.Items.Select(t => t.Number));
        Assert.Equal(trials[22].Id, byNumber.Items[0].Id);
    }

    [Fact]
    public async Task An_empty_sweep_seeks_an_empty_last_page_and_counts_nothing()
    {
        var (empty, _) = await Stores.Sweeps.CreateAsync(new NewSweep("empty-seek", "spec"));

        foreach (var order in Enum.GetValues<TrialOrder>())
        {
            var page = await Stores.Trials.SeekAsync(empty.Id, TrialFilter.All with { Order = order }, null, 1);
            Assert.Empty(page.Items);
            Assert.Null(page.Next);
        }

        Assert.Equal(0, await Stores.Trials.CountAsync(empty.Id, TrialFilter.All));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Stores.Trials.SeekAsync(empty.Id, TrialFilter.All, null, 0));
    }

    private static bool Passes(TrialRecord trial, TrialFilter filter) =>
        (filter.States.Count == 0 || filter.States.Contains(trial.State))
        && (filter.Cells.Count == 0 || (SeekCell(trial.Number) is { } cell && filter.Cells.Contains(cell)));

    private static string? SeekCell(int number) => (number % 4) switch { 0 => "lstm", 1 => "gru", 2 => "rnn-tanh", _ => null };

    private static IEnumerable<TrialRecord> Sorted(IEnumerable<TrialRecord> trials, TrialOrder order) => order switch
    {
        TrialOrder.Number => trials.OrderBy(t => t.Number),
        TrialOrder.ObjectiveAscending => trials.OrderBy(t => t.Objective is null).ThenBy(t => t.Objective ?? 0).ThenBy(t => t.Number),
        _ => trials.OrderBy(t => t.Objective is null).ThenByDescending(t => t.Objective ?? 0).ThenBy(t => t.Number),
    };
}
