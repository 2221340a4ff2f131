using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using RnnLab.Contracts.V1;
using StorageTelemetry = RnnLab.Storage.StorageTelemetry;

namespace RnnLab.Server.Tests;

/// <summary>A server whose traces and metrics go to in-memory exporters.</summary>
public sealed class TelemetryServerFixture : ServerFixture
{
    public List<Activity> Activities { get; } = [];

    public List<Metric> Metrics { get; } = [];

    protected override IReadOnlyDictionary<string, string?> ExtraSettings => new Dictionary<string, string?>
    {
        ["Telemetry:PollInterval"] = "00:00:00.200",
    };

    protected override void Configure(WebApplicationBuilder builder)
    {
        builder.Services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddInMemoryExporter(Activities));
        builder.Services.ConfigureOpenTelemetryMeterProvider(metering => metering.AddInMemoryExporter(Metrics));
    }

    public void Flush()
    {
        Server.Services.GetRequiredService<TracerProvider>().ForceFlush();
        Server.Services.GetRequiredService<MeterProvider>().ForceFlush();
    }
}

/// <summary>Activity sources and meters are process-wide, so this runs alone: no other server's spans or epochs mix in.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TelemetryCollection : ICollectionFixture<TelemetryServerFixture>
{
    public const string Name = "telemetry";
}

[Collection(TelemetryCollection.Name)]
public sealed class TelemetryTests(TelemetryServerFixture fixture)
{
    [Fact]
    public async Task One_sweep_gives_a_trace_across_grpc_grains_and_the_database_and_the_meter_reports()
    {
        var submitted = await fixture.Client.SubmitSweepAsync(new SubmitSweepRequest { SpecYaml = Specs.Quadratic("telemetry", trials: 3, epochs: 3, delayMs: 20) });
        using (var call = fixture.Client.WatchSweep(new WatchSweepRequest { SweepId = submitted.Sweep.Id, SkipSnapshot = true }))
        {
            while (await call.ResponseStream.MoveNext(CancellationToken.None))
            {
            }
        }

        // Let the poller observe the finished trials before the final collection.
        await Task.Delay(TimeSpan.FromMilliseconds(600));
        fixture.Flush();

        List<Activity> activities;
        lock (fixture.Activities)
        {
            activities = [.. fixture.Activities];
        }

        var submit = activities.First(a => a.Source.Name == "Microsoft.AspNetCore" && a.DisplayName.Contains("SubmitSweep", StringComparison.Ordinal));
        var trace = activities.Where(a => a.TraceId == submit.TraceId).ToList();
        Assert.Contains(trace, a => a.Source.Name.StartsWith("Microsoft.Orleans", StringComparison.Ordinal) && a.DisplayName.Contains("SweepGrain", StringComparison.Ordinal));
        Assert.Contains(trace, a => a.Source.Name == "OpenTelemetry.Instrumentation.EntityFrameworkCore");

        // A database write made inside the grain belongs to the same trace, under an Orleans span, although it
        // travels in a batch shared with other callers' writes.
        var byId = trace.DistinctBy(a => a.SpanId).ToDictionary(a => a.SpanId);
        Assert.Contains(trace, a => a.Source.Name == StorageTelemetry.SourceName && Ancestors(a, byId).Any(p => p.Source.Name.StartsWith("Microsoft.Orleans", StringComparison.Ordinal)));

        List<Metric> metrics;
        lock (fixture.Metrics)
        {
            metrics = [.. fixture.Metrics];
        }

        var names = metrics.Select(m => m.Name).ToHashSet();
        Assert.Contains("rnnlab.epoch.duration", names);
        Assert.Contains("rnnlab.trials", names);
        Assert.Contains("rnnlab.queue.depth", names);
        Assert.Contains("rnnlab.slots", names);
        var epochs = metrics.Last(m => m.Name == "rnnlab.epoch.duration");
        long count = 0;
        foreach (ref readonly var point in epochs.GetMetricPoints())
        {
            count += point.GetHistogramCount();
        }

        Assert.Equal(9, count);
        Assert.Contains(names, n => n.StartsWith("orleans", StringComparison.Ordinal));

        // Epochs of a few milliseconds are told apart instead of all landing under the default first bound of 5 s.
        Assert.Equal(RnnLab.Server.Telemetry.RnnLabMetrics.EpochSecondsBounds, Bounds(epochs));
        Assert.True(Bounds(epochs)[0] <= 0.01, "the first epoch bucket is wider than 10 ms");
    }

    [Fact]
    public async Task A_training_trial_reports_its_throughput_to_the_meter_but_not_as_metric_points()
    {
        const string spec = """
            name: telemetry-training
            task: { name: adding, options: { length: 5, train_size: 64, eval_size: 32, data_seed: 3 } }
            metric: { name: valid.mse, direction: minimize }
            fixed: { cell: gru, hidden: 4, batch: 16, epochs: 2, patience: 0 }
            search:
              sampler: { type: random, seed: 3 }
              space:
                lr: { loguniform: [0.005, 0.02] }
            budget: { trials: 1, parallelism: 1 }
            seed: 3
            """;
        var submitted = await fixture.Client.SubmitSweepAsync(new SubmitSweepRequest { SpecYaml = spec });
        using (var call = fixture.Client.WatchSweep(new WatchSweepRequest { SweepId = submitted.Sweep.Id, SkipSnapshot = true }))
        {
            while (await call.ResponseStream.MoveNext(CancellationToken.None))
            {
            }
        }

        var trial = Assert.Single((await fixture.Client.ListTrialsAsync(new ListTrialsRequest { SweepId = submitted.Sweep.Id })).Trials);
        Assert.Equal(TrialState.Completed, trial.State);
        fixture.Flush();

        List<Metric> metrics;
        lock (fixture.Metrics)
        {
            metrics = [.. fixture.Metrics];
        }

        // Only training trials report throughput, so every recorded value is this trial's.
        var rates = metrics.Last(m => m.Name == "rnnlab.epoch.samples_per_second");
        long count = 0;
        double sum = 0;
        foreach (ref readonly var point in rates.GetMetricPoints())
        {
            count += point.GetHistogramCount();
            sum += point.GetHistogramSum();
        }

        Assert.Equal(2, count);
        Assert.True(sum > 0, $"samples per second summed to {sum}");

        var points = await fixture.Client.GetTrialMetricsAsync(new GetTrialMetricsRequest { TrialId = trial.Id });
        var names = points.Points.Select(p => p.Name).ToHashSet();
        Assert.Contains("train.loss", names);
        Assert.Contains("valid.mse", names);
        Assert.DoesNotContain("samples_per_second", names);
    }

    /// <summary>The finite upper bounds of a histogram's buckets, as exported.</summary>
    private static List<double> Bounds(Metric histogram)
    {
        var bounds = new List<double>();
        foreach (ref readonly var point in histogram.GetMetricPoints())
        {
            foreach (var bucket in point.GetHistogramBuckets())
            {
                if (!double.IsPositiveInfinity(bucket.ExplicitBound))
                {
                    bounds.Add(bucket.ExplicitBound);
                }
            }

            break;
        }

        return bounds;
    }

    private static IEnumerable<Activity> Ancestors(Activity activity, Dictionary<ActivitySpanId, Activity> byId)
    {
        var current = activity;
        while (byId.TryGetValue(current.ParentSpanId, out var parent))
        {
            yield return parent;
            current = parent;
        }
    }
}
