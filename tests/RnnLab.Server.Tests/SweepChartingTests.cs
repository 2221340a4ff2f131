using RnnLab.Dashboard.Aggregation;
using RnnLab.Server.Grpc;
using RnnLab.Server.Sweeping;
using RnnLab.Storage;
using RnnLab.Sweeps.Spec;
using TrialState = RnnLab.Sweeps.Trials.TrialState;

namespace RnnLab.Server.Tests;

/// <summary><see cref="SweepCharting"/> on its own: bounded charts of a large sweep, without gRPC or a database.</summary>
public sealed class SweepChartingTests
{
    private static readonly string[] Cells = ["lstm", "gru", "rnn-tanh"];

    private static readonly SweepSpec Spec = SweepSpec.ParseOrThrow("""
        name: charting
        task: { name: quadratic, options: { epochs: 30 } }
        metric: { name: objective, direction: minimize }
        search:
          space:
            cell: { categorical: [lstm, gru, rnn-tanh] }
            lr: { loguniform: [0.0001, 1.0] }
            hidden: { int: [20, 200] }
        budget: { trials: 3000 }
        """);

    private static readonly ChartLimits Small = new(Curves: 20, CurvesPerCell: 2, PointsPerCurve: 5, ParallelLines: 50, FanovaTrials: 100);

    [Fact]
    public async Task A_large_sweep_gets_the_best_trials_curves_and_every_chart_within_its_limits()
    {
        var trials = LargeSweep(3000, out var store);
        var charting = new SweepCharting(store, Small);

        var charts = await charting.BuildAsync(Spec, trials, "lstm", CancellationToken.None);

        // The best 2 of each cell, then the best of the rest, up to 20; computed here from the objectives alone.
        var completed = trials.Where(t => t.HasResult).OrderBy(t => t.Objective).ThenBy(t => t.Number).ToArray();
        var expected = completed.GroupBy(t => t.Cell).SelectMany(g => g.Take(2)).Select(t => t.Number).ToHashSet();
        foreach (var trial in completed)
        {
            if (expected.Count < 20)
            {
                expected.Add(trial.Number);
            }
        }

        Assert.Equal(expected.Order(), charts.Curves.Select(c => c.Trial.Number).Order());
        Assert.Contains(completed.First(t => t.Cell == "rnn-tanh").Number, charts.Curves.Select(c => c.Trial.Number));
        Assert.All(charts.Curves, c => Assert.InRange(c.Points.Count, 3, 5));
        // Only the drawn trials' metric was read, in one call.
        Assert.Equal(1, store.Calls);
        Assert.Equal(20, store.TrialsRead);

        Assert.Equal((50, completed.Length), (charts.Parallel!.Shown, charts.Parallel.Total));
        Assert.All(charts.Parallel.Axes, a => Assert.Equal(50, a.Values.Count));
        Assert.Equal(completed[0].Objective, charts.Parallel.Objective.Values[0]);
        Assert.Equal(completed[^1].Objective, charts.Parallel.Objective.Values[^1]);

        Assert.Equal(["lstm", "gru", "rnn-tanh"], charts.Cells.Select(c => c.Cell));
        Assert.Equal(completed.Length, charts.Cells.Sum(c => c.All.Count));
        // The numbers the page computes itself while a sweep runs.
        Assert.Equal(CellComparisons.Build(trials, "lstm", maximize: false, objective: "objective"), charts.Cells);
        Assert.NotEmpty(charts.Importance.Bars);
        Assert.Contains("sample of 100 of 3000", charts.Importance.Note);
        Assert.Equal((3000, 3000), (charts.FinishedTrials, charts.CurveCandidates));
        Assert.Equal(["gru", "lstm", "rnn-tanh"], charts.CellNames);
    }

    [Fact]
    public void Down_sampling_keeps_the_first_last_and_best_points()
    {
        // Flat at 1 with the lowest value just before a spike: within one bucket, LTTB prefers the spike.
        var points = Enumerable.Range(0, 1000).Select(x => new CurvePoint(x, x switch { 500 => 0.999, 501 => 100, _ => 1 + x * 1e-6 })).ToArray();
        Assert.DoesNotContain(points[500], CurveDecimation.Decimate(points, 10));

        var thinned = SweepCharting.DownSample(points, 10, maximize: false);

        Assert.InRange(thinned.Count, 3, 10);
        Assert.Equal(points[0], thinned[0]);
        Assert.Equal(points[^1], thinned[^1]);
        Assert.Contains(points[500], thinned);
        Assert.Equal(thinned.OrderBy(p => p.X), thinned);

        var rising = points.Select(p => p with { Y = -p.Y }).ToArray();
        Assert.Contains(rising[500], SweepCharting.DownSample(rising, 10, maximize: true));
        Assert.Equal(points.Take(7), SweepCharting.DownSample(points.Take(7).ToArray(), 10, maximize: false));
    }

    [Fact]
    public async Task An_empty_sweep_has_empty_charts_that_say_why()
    {
        var store = new MetricStoreDouble();
        var charts = await new SweepCharting(store, ChartLimits.Default).BuildAsync(Spec, [], "lstm", CancellationToken.None);

        Assert.Empty(charts.Curves);
        Assert.Empty(charts.Cells);
        Assert.Null(charts.Parallel);
        Assert.Empty(charts.Importance.Bars);
        Assert.Contains("at least 8 completed trials", charts.Importance.Note);
        Assert.Equal((0, 0), (charts.FinishedTrials, store.Calls));
    }

    [Fact]
    public void Limits_that_cannot_draw_a_chart_are_refused_by_name()
    {
        var error = Assert.Throws<ArgumentException>(() => new SweepCharting(new MetricStoreDouble(), Small with { PointsPerCurve = 2 }));
        Assert.Contains("PointsPerCurve", error.Message);
    }

    [Fact]
    public void A_stored_trial_summarizes_as_its_api_message_does()
    {
        var record = new TrialRecord(Guid.NewGuid(), Guid.NewGuid(), 7, """{"cell": "gru", "lr": 0.01, "hidden": 64, "bidirectional": true, "note": "x", "nested": {"a": 1}}""",
            TrialState.Completed, 1, null, 0.25, null, DateTime.UtcNow, null, null, null, null, null);

        var summary = SweepCharting.Summarize(record);
        var expected = TrialSummary.From(record.ToProto());

        Assert.Equal((expected.Id, expected.Number, expected.Cell, expected.State, expected.Objective), (summary.Id, summary.Number, summary.Cell, summary.State, summary.Objective));
        Assert.Equal(expected.Parameters.OrderBy(p => p.Key), summary.Parameters.OrderBy(p => p.Key));
        Assert.Equal("gru", summary.Cell);
        Assert.Equal("true", summary.Parameters["bidirectional"]);
    }

    /// <summary>Trial n: cell n mod 3, objective from a fixed generator (rnn-tanh worse on average); every 10th failed.</summary>
    private static TrialSummary[] LargeSweep(int count, out MetricStoreDouble store)
    {
        var random = new Random(11);
        store = new MetricStoreDouble();
        var trials = new TrialSummary[count];
        for (var n = 0; n < count; n++)
        {
            var cell = Cells[n % 3];
            var lr = Math.Pow(10, -4 + 4 * random.NextDouble());
            var objective = (cell == "rnn-tanh" ? 1 : 0) + Math.Abs(Math.Log10(lr) + 2) + 0.1 * random.NextDouble();
            var failed = n % 10 == 9;
            var id = Guid.NewGuid();
            trials[n] = new TrialSummary(id.ToString(), n, cell, failed ? Contracts.V1.TrialState.Failed : Contracts.V1.TrialState.Completed,
                failed ? null : objective, new Dictionary<string, object> { ["lr"] = lr, ["hidden"] = (double)random.Next(20, 201) });
            store.Curves[id] = Enumerable.Range(1, 30).Select(e => new MetricPoint(id, e, "objective", objective + 1.0 / e)).ToArray();
        }

        return trials;
    }

    /// <summary>Serves fixed curves and counts what was asked for.</summary>
    private sealed class MetricStoreDouble : IMetricStore
    {
        public Dictionary<Guid, IReadOnlyList<MetricPoint>> Curves { get; } = [];

        public int Calls { get; private set; }

        public int TrialsRead { get; private set; }

        public Task<IReadOnlyList<MetricPoint>> ReadAsync(IReadOnlyCollection<Guid> trialIds, string name, CancellationToken cancellationToken = default)
        {
            Calls++;
            TrialsRead += trialIds.Count;
            return Task.FromResult<IReadOnlyList<MetricPoint>>(trialIds.SelectMany(id => Curves.GetValueOrDefault(id, [])).Where(p => p.Name == name).ToArray());
        }

        public Task AppendAsync(IReadOnlyList<MetricPoint> points, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<IReadOnlyList<MetricPoint>> ReadAsync(Guid trialId, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<int> DeleteAfterEpochAsync(Guid trialId, int epoch, CancellationToken cancellationToken = default) => throw new NotSupportedException();
    }
}
