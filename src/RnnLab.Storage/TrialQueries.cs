namespace RnnLab.Storage;

/// <summary>How a page of trials is ordered: by number, or by objective (trials without one last, then by number).</summary>
public enum TrialOrder
{
    Number,
    ObjectiveAscending,
    ObjectiveDescending,
}

/// <summary>Which trials of a sweep a page holds: only these states and cells unless a set is empty.</summary>
public sealed record TrialFilter(IReadOnlyCollection<TrialState> States, IReadOnlyCollection<string> Cells, TrialOrder Order = TrialOrder.Number)
{
    public static TrialFilter All { get; } = new([], []);
}

/// <summary>A page of trials and how many match in all.</summary>
public sealed record TrialPage(IReadOnlyList<TrialRecord> Items, int Total);

/// <summary>
/// Where a trial stands in a page order: its objective (not used when ordering by number; null sorts after every
/// value) and its number, which breaks ties.
/// </summary>
public sealed record TrialKey(double? Objective, int Number);

/// <summary>A page of trials and the key of its last trial to seek the next page from, or null when no trial follows.</summary>
public sealed record TrialSeekPage(IReadOnlyList<TrialRecord> Items, TrialKey? Next);

/// <summary>What a sweep's trials add up to, counted by the database: trials per state and the extreme finite objectives.</summary>
public sealed record TrialTally(IReadOnlyDictionary<TrialState, int> ByState, double? MinObjective, double? MaxObjective)
{
    public static TrialTally Empty { get; } = new(new Dictionary<TrialState, int>(), null, null);

    public int Total => ByState.Values.Sum();

    public int this[TrialState state] => ByState.GetValueOrDefault(state);
}
