using System.Text.Json;
using RnnLab.Dashboard.Aggregation;
using RnnLab.Server.Grpc;
using RnnLab.Storage;
using RnnLab.Sweeps.Spec;

namespace RnnLab.Server.Sweeping;

/// <summary>How much the sweep page's charts hold at most, whatever the sweep's size.</summary>
/// <param name="Curves">Learning curves: the best <paramref name="CurvesPerCell"/> of each cell, then the best overall.</param>
/// <param name="PointsPerCurve">Points per learning curve (at least 3): first, last and best epoch always among them.</param>
/// <param name="ParallelLines">Parallel-coordinates lines, chosen evenly by rank.</param>
/// <param name="FanovaTrials">Finished trials fANOVA fits its forest on; a larger sweep is sampled evenly.</param>
public sealed record ChartLimits(int Curves = 200, int CurvesPerCell = 10, int PointsPerCurve = 150, int ParallelLines = 1000, int FanovaTrials = 2000)
{
    public static ChartLimits Default { get; } = new();

    internal void Validate()
    {
        if (Curves < 1 || CurvesPerCell < 0 || PointsPerCurve < 3 || ParallelLines < 2 || FanovaTrials < ImportanceAnalysis.MinimumTrials)
        {
            throw new ArgumentException(
                $"chart limits: Curves must be ≥ 1, CurvesPerCell ≥ 0, PointsPerCurve ≥ 3, ParallelLines ≥ 2 and FanovaTrials ≥ {ImportanceAnalysis.MinimumTrials} (got {this})");
        }
    }
}

/// <summary>One trial's drawn learning curve: its objective per epoch, thinned.</summary>
public sealed record TrialCurve(TrialSummary Trial, IReadOnlyList<CurvePoint> Points);

/// <summary>Everything the sweep page draws, bounded by <see cref="ChartLimits"/>.</summary>
public sealed record SweepChartData(
    string Objective,
    bool Maximize,
    string BaselineCell,
    IReadOnlyList<TrialCurve> Curves,
    int CurveCandidates,
    IReadOnlyList<CellSummary> Cells,
    ParallelCoordinatesData? Parallel,
    ImportanceResult Importance,
    IReadOnlyList<string> CellNames,
    int FinishedTrials);

/// <summary>
/// Computes the sweep page's charts on the server from every trial, with the dashboard's own aggregations (the same
/// numbers the page computes for a live sweep), so a page of a 100,000-trial sweep receives a few hundred kilobytes
/// instead of every trial and hundreds of metric reads.
/// </summary>
public sealed class SweepCharting
{
    private static readonly IReadOnlyDictionary<string, object> NoParameters = new Dictionary<string, object>();
    private readonly IMetricStore _metrics;
    private readonly ChartLimits _limits;

    public SweepCharting(IMetricStore metrics, ChartLimits limits)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        ArgumentNullException.ThrowIfNull(limits);
        limits.Validate();
        _metrics = metrics;
        _limits = limits;
    }

    public ChartLimits Limits => _limits;

    /// <param name="spec">The sweep's spec; null when its text no longer parses (then there is no objective to chart).</param>
    public async Task<SweepChartData> BuildAsync(SweepSpec? spec, IReadOnlyList<TrialSummary> trials, string baselineCell, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(trials);
        var objective = spec?.Metric.Name ?? "";
        var maximize = spec?.Metric.Direction == MetricDirection.Maximize;
        var candidates = trials.Where(t => t.State != Contracts.V1.TrialState.Pending).ToArray();
        var curves = objective.Length == 0 ? Task.FromResult<IReadOnlyList<TrialCurve>>([]) : CurvesAsync(candidates, objective, maximize, cancellationToken);

        // fANOVA fits a forest: it runs beside the per-cell statistics while the curves are read.
        var importance = Task.Run(() => Importance(trials, spec), cancellationToken);
        // The comparison strata are the cell alone: leaving the other parameters out of its snapshots gives the same
        // numbers in a quarter of the time on a large sweep.
        var results = trials.Where(t => t.HasResult).Select(t => t with { Parameters = NoParameters });
        var cells = CellComparisons.Build(results, baselineCell, maximize, objective: objective);
        var parallel = ParallelCoordinates.Build(trials, objective, maximize, _limits.ParallelLines);
        var cellNames = trials.Select(t => t.Cell).Where(c => c.Length > 0).Distinct().Order(StringComparer.Ordinal).ToArray();
        return new SweepChartData(objective, maximize, baselineCell, await curves, candidates.Length, cells, parallel, await importance,
            cellNames, trials.Count(t => t.IsFinished));
    }

    private ImportanceResult Importance(IReadOnlyList<TrialSummary> trials, SweepSpec? spec)
    {
        try
        {
            return ImportanceAnalysis.Compute(trials, spec, _limits.FanovaTrials);
        }
        catch (InvalidOperationException exception)
        {
            // fANOVA refuses a space it cannot fit (every parameter fixed, say): the chart says why.
            return new ImportanceResult([], null, exception.Message);
        }
    }

    private async Task<IReadOnlyList<TrialCurve>> CurvesAsync(IReadOnlyList<TrialSummary> candidates, string objective, bool maximize, CancellationToken cancellationToken)
    {
        var byNumber = candidates.ToDictionary(t => t.Number);
        var chosen = CurveSelection.Choose(candidates.Select(t => new CurveCandidate(t.Number, t.Cell, t.State, t.Objective)),
                maximize, _limits.Curves, _limits.CurvesPerCell)
            .Select(n => byNumber[n])
            .ToArray();
        if (chosen.Length == 0)
        {
            return [];
        }

        var points = await _metrics.ReadAsync(chosen.Select(t => Guid.Parse(t.Id)).ToArray(), objective, cancellationToken);
        var byTrial = points.GroupBy(p => p.TrialId)
            .ToDictionary(g => g.Key.ToString(), g => (IReadOnlyList<CurvePoint>)g.Select(p => new CurvePoint(p.Epoch, p.Value)).ToArray());
        return chosen
            .Where(t => byTrial.ContainsKey(t.Id))
            .Select(t => new TrialCurve(t, DownSample(byTrial[t.Id], _limits.PointsPerCurve, maximize)))
            .Where(c => c.Points.Count > 0)
            .ToArray();
    }

    /// <summary>
    /// Largest-Triangle-Three-Buckets to at most <paramref name="maxPoints"/> points, which keeps the first and the last;
    /// the best point (the epoch early stopping would keep) is kept too, in place of one LTTB point when it was not chosen.
    /// </summary>
    public static IReadOnlyList<CurvePoint> DownSample(IReadOnlyList<CurvePoint> points, int maxPoints, bool maximize)
    {
        var thinned = CurveDecimation.Decimate(points, maxPoints);
        var finite = points.Where(p => double.IsFinite(p.X) && double.IsFinite(p.Y)).ToArray();
        if (thinned.Count == finite.Length || finite.Length == 0)
        {
            return thinned;
        }

        var best = maximize ? finite.MaxBy(p => p.Y) : finite.MinBy(p => p.Y);
        if (thinned.Contains(best))
        {
            return thinned;
        }

        return CurveDecimation.Decimate(points, maxPoints - 1).Append(best).OrderBy(p => p.X).ToArray();
    }

    /// <summary>
    /// What the dashboard keeps of a stored trial, read straight from its row (the same values as
    /// <see cref="TrialSummary.From"/> of its API message, without building one per trial of a large sweep).
    /// </summary>
    public static TrialSummary Summarize(TrialRecord trial)
    {
        ArgumentNullException.ThrowIfNull(trial);
        var cell = "";
        var parameters = new SortedDictionary<string, object>(StringComparer.Ordinal);
        try
        {
            using var document = JsonDocument.Parse(trial.ParametersJson);
            if (document.RootElement.ValueKind == JsonValueKind.Object)
            {
                foreach (var property in document.RootElement.EnumerateObject())
                {
                    if (property.Name == "cell")
                    {
                        cell = property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString()! : "";
                        continue;
                    }

                    object? value = property.Value.ValueKind switch
                    {
                        JsonValueKind.Number => property.Value.GetDouble(),
                        JsonValueKind.String => property.Value.GetString(),
                        JsonValueKind.True => "true",
                        JsonValueKind.False => "false",
                        _ => null,
                    };
                    if (value is not null)
                    {
                        parameters[property.Name] = value;
                    }
                }
            }
        }
        catch (JsonException)
        {
        }

        return new TrialSummary(trial.Id.ToString(), trial.Number, cell, trial.State.ToProto(), trial.Objective, parameters);
    }
}
