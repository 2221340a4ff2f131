using RnnLab.CellGraphs;
using RnnLab.Sweeps.Parameters;
using RnnLab.Sweeps.Spec;
using RnnLab.Sweeps.Trials;

namespace RnnLab.Reports;

/// <summary>The sweep a report describes, as stored.</summary>
public sealed record ReportSweep(string Id, string Name, string State, string SpecText, DateTime CreatedAt, DateTime? FinishedAt);

/// <summary>One trial as a report reads it: its final metrics (valid.*, test.*, …) and when it ran.</summary>
public sealed record ReportTrial(
    int Number,
    TrialState State,
    ParameterSet Parameters,
    double? Objective,
    IReadOnlyDictionary<string, double> Metrics,
    int? Epochs,
    DateTime? StartedAt,
    DateTime? FinishedAt,
    string? Worker)
{
    public TimeSpan? Duration => StartedAt is { } start && FinishedAt is { } end && end >= start ? end - start : null;

    public string Cell => Parameters.TryGetValue("cell", out var cell) ? cell.ToString() : "";
}

/// <summary>
/// Everything a report is made from. Machine describes where the report was built (and, for an embedded run, where the
/// trials ran); the trials' workers are listed from the trials themselves.
/// </summary>
public sealed record ReportInput(
    ReportSweep Sweep,
    SweepSpec Spec,
    IReadOnlyList<ReportTrial> Trials,
    string Machine,
    string Baseline = CellNames.Lstm,
    double BestFraction = 0.1);
