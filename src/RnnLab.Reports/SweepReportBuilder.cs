using RnnLab.Sweeps.Analysis;
using RnnLab.Sweeps.Spec;
using RnnLab.Sweeps.Trials;

namespace RnnLab.Reports;

/// <summary>Computes a sweep's report from its trials with RnnLab.Sweeps.Analysis only.</summary>
public static class SweepReportBuilder
{
    /// <summary>The parameter the strata are drawn by: the stratified sampler's, else cell (as AnalyzeSweep does).</summary>
    public const string DefaultStratum = "cell";

    public static SweepReport Build(ReportInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var spec = input.Spec;
        var by = DefaultStratum;
        var objective = input.Trials.Select(t => new TrialSnapshot(t.Number, t.Parameters, t.State, t.Objective)).ToList();

        // The same call, with the same arguments, as the API's AnalyzeSweep: one set of numbers everywhere.
        var analysis = SweepAnalysis.Analyze(spec, objective, by, input.Baseline, top: 20);
        var objectiveComparison = Compare(objective, spec.Metric, by, input);
        var test = TestMetric(spec.Metric) is { } testMetric && input.Trials.Any(t => t.Metrics.ContainsKey(testMetric.Name))
            ? Compare(input.Trials.Select(t => new TrialSnapshot(t.Number, t.Parameters, t.State, t.Metrics.TryGetValue(testMetric.Name, out var v) ? v : null)).ToList(),
                testMetric, by, input)
            : null;
        var partial = new SweepReport(input, analysis, objectiveComparison, test, Runs(input.Trials, by), Summarize(input), []);
        return partial with { Findings = OdysseyFindings.For(partial) };
    }

    /// <summary>The test counterpart of a validation metric (valid.nll → test.nll), or null.</summary>
    public static MetricSpec? TestMetric(MetricSpec metric) =>
        metric.Name.StartsWith("valid.", StringComparison.Ordinal)
            ? metric with { Name = "test." + metric.Name["valid.".Length..] }
            : null;

    private static MetricComparison Compare(IReadOnlyList<TrialSnapshot> trials, MetricSpec metric, string by, ReportInput input) => new(
        metric,
        StratumStatistics.Compute(trials, metric, by, input.BestFraction),
        CellComparison.AgainstReference(trials, metric, by, input.Baseline),
        CellComparison.AgainstReference(trials, metric, by, input.Baseline, bestFraction: input.BestFraction));

    private static IReadOnlyList<StratumRun> Runs(IReadOnlyList<ReportTrial> trials, string by) => trials
        .GroupBy(t => t.Parameters.TryGetValue(by, out var value) ? value.ToString() : "(none)")
        .OrderBy(group => group.Key, StringComparer.Ordinal)
        .Select(group => new StratumRun(
            group.Key,
            group.Count(),
            group.Count(t => t.State == TrialState.Completed),
            group.Count(t => t.State == TrialState.Pruned),
            group.Count(t => t.State == TrialState.Diverged),
            group.Count(t => t.State == TrialState.Failed),
            group.Count(t => t.State == TrialState.Cancelled),
            group.Count(t => t.State is TrialState.Pending or TrialState.Running)))
        .ToList();

    private static RunSummary Summarize(ReportInput input)
    {
        var trials = input.Trials;
        var starts = trials.Where(t => t.StartedAt is not null).Select(t => t.StartedAt!.Value).ToList();
        var ends = trials.Where(t => t.FinishedAt is not null).Select(t => t.FinishedAt!.Value).ToList();
        TimeSpan? wall = starts.Count > 0 && ends.Count > 0 ? ends.Max() - starts.Min() : null;
        return new RunSummary(
            trials.Count,
            trials.Count(t => t.State == TrialState.Completed),
            trials.Count(t => t.State == TrialState.Diverged),
            trials.Count(t => t.State == TrialState.Failed),
            wall,
            TimeSpan.FromTicks(trials.Sum(t => t.Duration?.Ticks ?? 0)),
            trials.Sum(t => t.Epochs ?? 0),
            input.Machine,
            trials.Select(t => t.Worker).OfType<string>().Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList());
    }
}
