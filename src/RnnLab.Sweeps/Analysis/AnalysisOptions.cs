namespace RnnLab.Sweeps.Analysis;

/// <summary>What the analysis does with trials that diverged (loss became NaN or infinite).</summary>
public enum DivergedPolicy
{
    /// <summary>Leave them out.</summary>
    Exclude,

    /// <summary>Count them with the worst finite metric value among the analysed trials.</summary>
    WorstObserved,
}

/// <summary>
/// Which finished trials an analysis reads. Completed trials always count; Pruned trials (stopped early, so their
/// metric is from fewer epochs) only when IncludePruned. Failed and Cancelled trials never count.
/// Diverged trials: statistics and t-tests exclude them by default (a mean over NaN is meaningless, and imputing a
/// value would invent a spread); fANOVA counts them at the worst observed value by default, because where a
/// configuration diverges is exactly what an importance analysis should see (a learning rate that is too high).
/// </summary>
public sealed record AnalysisOptions(bool IncludePruned = false, DivergedPolicy Diverged = DivergedPolicy.Exclude)
{
    public static AnalysisOptions Default { get; } = new();
}
