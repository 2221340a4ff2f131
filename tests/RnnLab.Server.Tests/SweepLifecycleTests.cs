using System.Globalization;
using System.Text;
using Grpc.Core;
using RnnLab.Contracts.V1;

namespace RnnLab.Server.Tests;

[Collection(ServerCollection.Name)]
public sealed class SweepLifecycleTests(ServerFixture fixture)
{
    private readonly SweepService.SweepServiceClient _client = fixture.Client;

    [Fact]
    public async Task Submit_watch_to_completion_analyze_and_export()
    {
        var submitted = await _client.SubmitSweepAsync(new SubmitSweepRequest { SpecYaml = Specs.Quadratic("lifecycle") });
        Assert.True(submitted.Created);
        var id = submitted.Sweep.Id;

        var (snapshot, events) = await WatchAllAsync(id, 0);

        Assert.NotNull(snapshot);
        Assert.Equal(id, snapshot.Sweep.Id);
        Assert.Equal(Enumerable.Range(1, events.Count).Select(i => (long)i), events.Select(e => e.Sequence));
        Assert.Equal("sweep-finished", events[^1].Kind);
        Assert.Equal(9, events.Count(e => e.Kind == "trial-finished"));

        var sweep = await _client.GetSweepAsync(new GetSweepRequest { SweepId = id });
        Assert.Equal(SweepState.Completed, sweep.State);
        Assert.Equal(9, sweep.Trials.Total);
        Assert.Equal(9, sweep.Trials.Completed);
        Assert.Equal(events[^1].Sequence, sweep.LastEvent);

        var trials = await _client.ListTrialsAsync(new ListTrialsRequest { SweepId = id, OrderBy = "objective" });
        Assert.Equal(9, trials.Total);
        var objectives = trials.Trials.Select(t => t.Objective).ToList();
        Assert.Equal(objectives.Order(), objectives);
        Assert.Equal(sweep.BestObjective, objectives[0]);
        Assert.Equal(3, trials.Trials.Count(t => t.Cell == "lstm"));

        var analysis = await _client.AnalyzeSweepAsync(new AnalyzeSweepRequest { SweepId = id, Top = 5 });
        Assert.Equal(9, analysis.FinishedTrials);
        Assert.Equal("objective", analysis.Objective);
        Assert.Equal(trials.Trials.Take(5).Select(t => t.Id), analysis.Leaderboard.Select(t => t.Id));
        Assert.Equal(["gru", "lstm", "rnn-tanh"], analysis.Cells.Select(c => c.Cell));
        Assert.All(analysis.Cells, c => Assert.Equal(3, c.Trials));
        Assert.False(analysis.Cells.Single(c => c.Cell == "lstm").HasPValue);
        var gru = analysis.Cells.Single(c => c.Cell == "gru");
        Assert.True(gru.HasPValue && gru.PValue is >= 0 and <= 1);
        Assert.Equal(gru.Mean - analysis.Cells.Single(c => c.Cell == "lstm").Mean, gru.MeanDifference, 9);

        // The quadratic task's objective depends on lr alone, so fANOVA must rank it first.
        Assert.Equal("lr", analysis.MainEffects[0].Parameters.Single());

        var csv = await ExportAsync(id, "trials");
        var lines = csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(10, lines.Length);
        var header = lines[0].Split(',');
        Assert.Contains("param.cell", header);
        var objectiveColumn = Array.IndexOf(header, "objective");
        var idColumn = Array.IndexOf(header, "trial_id");
        var exported = lines.Skip(1).Select(l => l.Split(',')).ToDictionary(f => f[idColumn], f => double.Parse(f[objectiveColumn], CultureInfo.InvariantCulture));
        foreach (var trial in trials.Trials)
        {
            Assert.Equal(trial.Objective, exported[trial.Id]);
        }

        var metrics = await ExportAsync(id, "metrics");
        var metricLines = metrics.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("trial_id,number,epoch,name,value", metricLines[0]);
        Assert.Equal(9 * 3, metricLines.Skip(1).Count(l => l.Contains(",objective,", StringComparison.Ordinal)));

        var best = trials.Trials[0];
        var points = await _client.GetTrialMetricsAsync(new GetTrialMetricsRequest { TrialId = best.Id, Names = { "objective" } });
        Assert.Equal([1, 2, 3], points.Points.Select(p => p.Epoch));
        Assert.Equal(best.Objective, points.Points[^1].Value, 12);
    }

    [Fact]
    public async Task A_reconnecting_watch_misses_no_event()
    {
        var submitted = await _client.SubmitSweepAsync(new SubmitSweepRequest { SpecYaml = Specs.Quadratic("reconnect", trials: 6, epochs: 4, delayMs: 40, parallelism: 2) });
        var id = submitted.Sweep.Id;
        var seen = new List<SweepEvent>();

        // Drop the stream after every few events, as a flaky network would, and resume from the last number seen.
        var finished = false;
        var connections = 0;
        while (!finished)
        {
            connections++;
            using var stop = new CancellationTokenSource();
            using var call = _client.WatchSweep(
                new WatchSweepRequest { SweepId = id, AfterEvent = seen.Count == 0 ? 0 : seen[^1].Sequence, SkipSnapshot = seen.Count > 0 },
                cancellationToken: stop.Token);
            var inThisConnection = 0;
            try
            {
                await foreach (var item in call.ResponseStream.ReadAllAsync(stop.Token))
                {
                    if (item.ItemCase != WatchSweepResponse.ItemOneofCase.Event)
                    {
                        continue;
                    }

                    seen.Add(item.Event);
                    finished = item.Event.Kind == "sweep-finished";
                    if (++inThisConnection == 5 && !finished)
                    {
                        await stop.CancelAsync();
                    }
                }

                finished = true;
            }
            catch (RpcException exception) when (exception.StatusCode == StatusCode.Cancelled)
            {
            }
        }

        Assert.True(connections > 3, $"only {connections} connections");
        Assert.Equal(Enumerable.Range(1, seen.Count).Select(i => (long)i), seen.Select(e => e.Sequence));
        var (_, replay) = await WatchAllAsync(id, 0);
        Assert.Equal(replay.Select(e => (e.Sequence, e.Kind, e.TrialNumber, e.Epoch)), seen.Select(e => (e.Sequence, e.Kind, e.TrialNumber, e.Epoch)));
    }

    [Fact]
    public async Task A_submit_retried_with_the_same_key_makes_one_sweep()
    {
        var key = Guid.NewGuid().ToString();
        var request = new SubmitSweepRequest { SpecYaml = Specs.Quadratic("idempotent", trials: 3, epochs: 1), IdempotencyKey = key };

        var first = await _client.SubmitSweepAsync(request);
        var retries = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => _client.SubmitSweepAsync(request).ResponseAsync));
        var other = await _client.SubmitSweepAsync(new SubmitSweepRequest { SpecYaml = request.SpecYaml, IdempotencyKey = key + "-other" });

        Assert.True(first.Created);
        Assert.All(retries, r => Assert.False(r.Created));
        Assert.All(retries, r => Assert.Equal(first.Sweep.Id, r.Sweep.Id));
        Assert.NotEqual(first.Sweep.Id, other.Sweep.Id);
        var listed = await _client.ListSweepsAsync(new ListSweepsRequest { PageSize = 1000 });
        Assert.Single(listed.Sweeps, s => s.Id == first.Sweep.Id);
    }

    [Fact]
    public async Task Sweeps_page_and_filter_by_state()
    {
        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            ids.Add((await _client.SubmitSweepAsync(new SubmitSweepRequest { SpecYaml = Specs.Quadratic($"paging-{i}", trials: 1, epochs: 1) })).Sweep.Id);
        }

        foreach (var id in ids)
        {
            await WatchAllAsync(id, 0);
        }

        var collected = new List<Sweep>();
        var request = new ListSweepsRequest { PageSize = 1, States = { SweepState.Completed } };
        do
        {
            var page = await _client.ListSweepsAsync(request);
            Assert.True(page.Sweeps.Count <= 1);
            collected.AddRange(page.Sweeps);
            request.PageToken = page.NextPageToken;
        }
        while (request.PageToken.Length > 0);

        Assert.All(collected, s => Assert.Equal(SweepState.Completed, s.State));
        Assert.Subset(collected.Select(s => s.Id).ToHashSet(), ids.ToHashSet());
        Assert.Equal(collected.Count, collected.Select(s => s.Id).Distinct().Count());
    }

    private async Task<(SweepSnapshot? Snapshot, List<SweepEvent> Events)> WatchAllAsync(string id, long after)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        using var call = _client.WatchSweep(new WatchSweepRequest { SweepId = id, AfterEvent = after }, cancellationToken: timeout.Token);
        SweepSnapshot? snapshot = null;
        var events = new List<SweepEvent>();
        await foreach (var item in call.ResponseStream.ReadAllAsync(timeout.Token))
        {
            if (item.ItemCase == WatchSweepResponse.ItemOneofCase.Snapshot)
            {
                Assert.Null(snapshot);
                Assert.Empty(events);
                snapshot = item.Snapshot;
            }
            else
            {
                events.Add(item.Event);
            }
        }

        return (snapshot, events);
    }

    private async Task<string> ExportAsync(string id, string table)
    {
        using var call = _client.ExportSweep(new ExportSweepRequest { SweepId = id, Table = table });
        var text = new StringBuilder();
        await foreach (var chunk in call.ResponseStream.ReadAllAsync())
        {
            text.Append(chunk.Data.ToStringUtf8());
        }

        return text.ToString();
    }
}
