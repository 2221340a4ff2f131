using V1 = RnnLab.Contracts.V1;
using RnnLab.Server.Grpc;
using RnnLab.Storage;
using RnnLab.Sweeps.Analysis;
using RnnLab.Sweeps.Parameters;
using RnnLab.Sweeps.Spec;
using RnnLab.Sweeps.Trials;

namespace RnnLab.Server.Sweeping;

/// <summary>Builds a sweep's analysis with RnnLab.Sweeps: leaderboard, per-cell Welch t-tests against a baseline, fANOVA.</summary>
public sealed class SweepAnalyzer
{
    private const string CellParameter = "cell";

    public V1.SweepAnalysis Analyze(SweepRecord sweep, SweepSpec? spec, IReadOnlyList<TrialRecord> trials, int top, string baselineCell)
    {
        var analysis = new V1.SweepAnalysis { SweepId = sweep.Id.ToString(), BaselineCell = baselineCell };
        if (spec is null)
        {
            analysis.Notes.Add("the sweep's spec no longer parses; nothing can be analysed");
            return analysis;
        }

        var metric = spec.Metric;
        analysis.Objective = metric.Name;
        analysis.Maximize = metric.Direction == MetricDirection.Maximize;
        var byNumber = trials.ToDictionary(t => t.Number);
        var snapshots = trials.Select(ToSnapshot).ToList();
        analysis.FinishedTrials = snapshots.Count(s => s.HasFiniteValue);
        var report = SweepAnalysis.Analyze(spec, snapshots, CellParameter, baselineCell, top);

        analysis.Leaderboard.AddRange(report.Leaderboard.Select(entry => byNumber[(int)entry.TrialId].ToProto()));
        AddCells(analysis, report, metric, baselineCell);
        if (report.Fanova is { } fanova)
        {
            analysis.MainEffects.AddRange(fanova.MainEffects.OrderByDescending(m => m.Fraction)
                .Select(m => new V1.Importance { Parameters = { m.Parameter }, Fraction = m.Fraction }));
            analysis.PairwiseEffects.AddRange(fanova.Pairs.OrderByDescending(p => p.Fraction)
                .Select(p => new V1.Importance { Parameters = { p.First, p.Second }, Fraction = p.Fraction }));
        }
        else
        {
            analysis.Notes.Add("fANOVA: " + report.FanovaSkipped);
        }

        return analysis;
    }

    private static void AddCells(V1.SweepAnalysis analysis, SweepAnalysisReport report, MetricSpec metric, string baselineCell)
    {
        if (report.Strata.Count == 0)
        {
            analysis.Notes.Add("no finished trial has a cell parameter: no per-cell comparison");
            return;
        }

        if (!report.Strata.Any(s => s.Stratum.ToString() == baselineCell))
        {
            analysis.Notes.Add($"no finished {baselineCell} trial: cells are not compared against it");
        }

        var tests = report.Comparisons.ToDictionary(c => c.Stratum.ToString(), StringComparer.Ordinal);
        foreach (var stratum in report.Strata)
        {
            var cell = stratum.Stratum.ToString();
            var row = new V1.CellComparison
            {
                Cell = cell,
                Trials = stratum.All.Count,
                Mean = stratum.All.Mean,
                StdDev = stratum.All.StandardDeviation,
                Median = stratum.All.Median,
                Best = stratum.All.Best,
            };
            if (tests.TryGetValue(cell, out var comparison) && comparison.Test is { } test)
            {
                row.MeanDifference = test.MeanDifference;
                row.TStatistic = test.T;
                row.DegreesOfFreedom = test.DegreesOfFreedom;
                row.PValue = test.PValue;
                row.SignificantlyBetter = comparison.SignificantlyBetter(metric);
                row.SignificantlyWorse = comparison.SignificantlyWorse(metric);
            }

            analysis.Cells.Add(row);
        }
    }

    private static TrialSnapshot ToSnapshot(TrialRecord trial) => new(
        trial.Number,
        ParameterSet.FromJson(trial.ParametersJson),
        ToDomain(trial.State),
        trial.Objective);

    private static Sweeps.Trials.TrialState ToDomain(TrialState state) => state switch
    {
        TrialState.Pending => Sweeps.Trials.TrialState.Pending,
        TrialState.Running => Sweeps.Trials.TrialState.Running,
        TrialState.Completed => Sweeps.Trials.TrialState.Completed,
        TrialState.Pruned => Sweeps.Trials.TrialState.Pruned,
        TrialState.Diverged => Sweeps.Trials.TrialState.Diverged,
        TrialState.Failed => Sweeps.Trials.TrialState.Failed,
        _ => Sweeps.Trials.TrialState.Cancelled,
    };
}
