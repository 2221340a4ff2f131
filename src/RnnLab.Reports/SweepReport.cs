using RnnLab.Sweeps.Analysis;
using RnnLab.Sweeps.Spec;

namespace RnnLab.Reports;

/// <summary>How many trials of one stratum (cell) ended in each state.</summary>
public sealed record StratumRun(string Stratum, int Trials, int Completed, int Pruned, int Diverged, int Failed, int Cancelled, int Unfinished);

/// <summary>What ran: counts, time and machine.</summary>
public sealed record RunSummary(int Trials, int Completed, int Diverged, int Failed, TimeSpan? WallTime, TimeSpan TrialTime,
    int TotalEpochs, string Machine, IReadOnlyList<string> Workers);

/// <summary>
/// The Odyssey's Figure 3 for one metric: per-stratum statistics over all trials and the best share, and Welch's
/// t-test of each stratum against the baseline on both.
/// </summary>
public sealed record MetricComparison(
    MetricSpec Metric,
    IReadOnlyList<StratumReport> Strata,
    IReadOnlyList<StratumComparison> AllTrials,
    IReadOnlyList<StratumComparison> BestTrials);

/// <summary>Whether this sweep agrees with one of the paper's claims.</summary>
public enum Verdict
{
    Agrees,
    Disagrees,
    Undetermined,
}

/// <summary>One of a paper's claims next to what this sweep shows.</summary>
public sealed record Finding(string Claim, string Paper, string ThisSweep, Verdict Verdict);

/// <summary>
/// A sweep's report as numbers: every statistic comes from RnnLab.Sweeps.Analysis (the same calls AnalyzeSweep makes),
/// so the report, the CLI, the API and the dashboard agree.
/// </summary>
public sealed record SweepReport(
    ReportInput Input,
    SweepAnalysisReport Analysis,
    MetricComparison Objective,
    MetricComparison? Test,
    IReadOnlyList<StratumRun> Runs,
    RunSummary Summary,
    IReadOnlyList<Finding> Findings)
{
    /// <summary>The comparison Figure 3 shows: the test metric when trials report one (as the paper did), else the objective.</summary>
    public MetricComparison Figure3 => Test ?? Objective;
}
