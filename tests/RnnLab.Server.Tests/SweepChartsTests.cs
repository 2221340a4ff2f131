using Microsoft.Extensions.DependencyInjection;
using Grpc.Core;
using RnnLab.Contracts.V1;

namespace RnnLab.Server.Tests;

/// <summary><c>GetSweepCharts</c> over real gRPC: the sweep page's charts, from the stored trials and metrics.</summary>
[Collection(ServerCollection.Name)]
public sealed class SweepChartsTests(ServerFixture fixture)
{
    private const int Epochs = 4;
    private readonly SweepService.SweepServiceClient _client = fixture.Client;

    [Fact]
    public async Task The_charts_of_a_finished_sweep_hold_its_curves_cells_lines_and_AnalyzeSweeps_importance()
    {
        var id = (await _client.SubmitSweepAsync(new SubmitSweepRequest { SpecYaml = Specs.Quadratic("charts", trials: 12, epochs: Epochs) })).Sweep.Id;
        await WaitUntilFinishedAsync(id);
        var trials = (await _client.ListTrialsAsync(new ListTrialsRequest { SweepId = id, PageSize = 100 })).Trials;

        var charts = await _client.GetSweepChartsAsync(new GetSweepChartsRequest { SweepId = id });

        Assert.Equal((id, "objective", false, "lstm"), (charts.SweepId, charts.Objective, charts.Maximize, charts.BaselineCell));
        Assert.Equal((12, 12, 200, 150), (charts.FinishedTrials, charts.CurveCandidates, charts.CurveLimit, charts.PointsPerCurve));

        // Every trial's curve (fewer than the limit), each the stored objective per epoch.
        Assert.Equal(trials.Select(t => t.Number).Order(), charts.Curves.Select(c => c.TrialNumber).Order());
        foreach (var curve in charts.Curves.Take(3))
        {
            var stored = await _client.GetTrialMetricsAsync(new GetTrialMetricsRequest { TrialId = curve.TrialId, Names = { "objective" } });
            Assert.Equal(stored.Points.Select(p => p.Epoch), curve.Epochs);
            Assert.Equal(stored.Points.Select(p => p.Value), curve.Values);
            Assert.Equal(trials.Single(t => t.Id == curve.TrialId).Cell, curve.Cell);
        }

        Assert.All(charts.Curves, c => Assert.Equal(Enumerable.Range(1, Epochs), c.Epochs));

        // Boxes per cell, the baseline first; counts and medians are the trials' own.
        Assert.Equal(["lstm", "gru", "rnn-tanh"], charts.Cells.Select(c => c.Cell));
        Assert.Equal(["gru", "lstm", "rnn-tanh"], charts.CellNames);
        foreach (var cell in charts.Cells)
        {
            var values = trials.Where(t => t.Cell == cell.Cell).Select(t => t.Objective).Order().ToArray();
            Assert.Equal(values.Length, cell.All.Count);
            Assert.Equal((values[(values.Length - 1) / 2] + values[values.Length / 2]) / 2, cell.All.Median, 12);
            Assert.Equal(values.Min(), cell.Best.Median, 12);
        }

        Assert.Null(charts.Cells[0].AllVersusBaseline);
        Assert.InRange(charts.Cells[1].AllVersusBaseline.PValue, 0, 1);

        // Parallel coordinates: every completed trial, best first, with the sampled hyperparameters as axes.
        Assert.Equal((12, 12), (charts.Parallel.Shown, charts.Parallel.Total));
        Assert.Equal(trials.Select(t => t.Objective).Order(), charts.Parallel.Objective.Values);
        Assert.Equal("cell", charts.Parallel.Axes[0].Name);
        Assert.Equal(["gru", "lstm", "rnn-tanh"], charts.Parallel.Axes[0].Categories);
        Assert.Subset(charts.Parallel.Axes.Select(a => a.Name).ToHashSet(), new HashSet<string> { "hidden", "lr" });
        Assert.All(charts.Parallel.Axes, a => Assert.Equal(12, a.Values.Count));

        // fANOVA: AnalyzeSweep's numbers.
        var analysis = await _client.AnalyzeSweepAsync(new AnalyzeSweepRequest { SweepId = id });
        Assert.Equal(analysis.MainEffects.Select(m => (m.Parameters.Single(), Math.Round(m.Fraction, 9))),
            charts.Importance.Bars.Select(b => (b.Parameter, Math.Round(b.Fraction, 9))));
        Assert.Equal(charts.Importance.Bars[0].Parameter, charts.Importance.Marginal.Parameter);
        Assert.NotEmpty(charts.Importance.Marginal.Mean);

        // Kept for the finished sweep, and computed anew once it grows.
        Assert.Equal(charts, await _client.GetSweepChartsAsync(new GetSweepChartsRequest { SweepId = id }));
        await _client.ExtendSweepAsync(new ExtendSweepRequest { SweepId = id, Trials = 3 });
        await WaitUntilCompletedAsync(id, 15);
        var extended = await _client.GetSweepChartsAsync(new GetSweepChartsRequest { SweepId = id });
        Assert.Equal((15, 15, 15), (extended.Curves.Count, extended.FinishedTrials, extended.Parallel.Total));
    }

    [Fact]
    public async Task A_finished_sweeps_charts_are_computed_before_anyone_asks_for_them()
    {
        var id = (await _client.SubmitSweepAsync(new SubmitSweepRequest { SpecYaml = Specs.Quadratic("charts-warm", trials: 6, epochs: 2) })).Sweep.Id;
        await WaitUntilFinishedAsync(id);
        var services = fixture.Server.Services;
        var source = services.GetRequiredService<RnnLab.Server.Sweeping.SweepChartSource>();
        var catalog = services.GetRequiredService<RnnLab.Server.Sweeping.SweepCatalog>();

        var kept = false;
        for (var deadline = DateTime.UtcNow.AddSeconds(30); !kept && DateTime.UtcNow < deadline; await Task.Delay(200))
        {
            var sweep = await catalog.GetAsync(Guid.Parse(id), CancellationToken.None);
            kept = await source.IsKeptAsync(sweep!, "lstm", CancellationToken.None);
        }

        Assert.True(kept, "the charts of the finished sweep were not computed within 30 s of its end");
        var charts = await _client.GetSweepChartsAsync(new GetSweepChartsRequest { SweepId = id });
        Assert.Equal(6, charts.FinishedTrials);
    }

    [Fact]
    public async Task A_sweep_with_too_few_trials_gets_notes_and_bad_requests_name_their_field()
    {
        var id = (await _client.SubmitSweepAsync(new SubmitSweepRequest { SpecYaml = Specs.Quadratic("charts-small", trials: 3, epochs: 2) })).Sweep.Id;
        await WaitUntilFinishedAsync(id);

        var charts = await _client.GetSweepChartsAsync(new GetSweepChartsRequest { SweepId = id, BaselineCell = "gru" });

        Assert.Equal("gru", charts.Cells[0].Cell);
        Assert.Empty(charts.Importance.Bars);
        Assert.Contains("at least 8 completed trials", charts.Importance.Note);
        var invalid = await GrpcAssert.FailsAsync(StatusCode.InvalidArgument,
            () => _client.GetSweepChartsAsync(new GetSweepChartsRequest { SweepId = "not-a-sweep" }).ResponseAsync);
        Assert.Contains("sweep_id", invalid.Status.Detail);
        await GrpcAssert.FailsAsync(StatusCode.NotFound,
            () => _client.GetSweepChartsAsync(new GetSweepChartsRequest { SweepId = Guid.NewGuid().ToString() }).ResponseAsync);
    }

    private async Task WaitUntilCompletedAsync(string id, int trials)
    {
        var deadline = DateTime.UtcNow.AddMinutes(2);
        Sweep sweep;
        while ((sweep = await _client.GetSweepAsync(new GetSweepRequest { SweepId = id })).State != SweepState.Completed || sweep.Trials.Completed < trials)
        {
            Assert.True(DateTime.UtcNow < deadline, $"sweep {id} did not complete {trials} trials: {sweep}");
            await Task.Delay(100);
        }
    }

    private async Task WaitUntilFinishedAsync(string id)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        using var call = _client.WatchSweep(new WatchSweepRequest { SweepId = id }, cancellationToken: timeout.Token);
        await foreach (var _ in call.ResponseStream.ReadAllAsync(timeout.Token))
        {
        }
    }
}
