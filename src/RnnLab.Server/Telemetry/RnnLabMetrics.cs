using System.Diagnostics.Metrics;

namespace RnnLab.Server.Telemetry;

/// <summary>
/// The RnnLab meter: trials by state and running, queue depth and slot use (observed from the latest poll), and
/// per-epoch histograms recorded as workers report epochs.
/// </summary>
public sealed class RnnLabMetrics : IDisposable
{
    private readonly Meter _meter;
    private volatile PlatformSnapshot _snapshot = PlatformSnapshot.Empty;

    public RnnLabMetrics(IMeterFactory meters)
    {
        _meter = meters.Create(TelemetryExtensions.RnnLabSource);
        // Bounds that fit each histogram (the defaults, 0, 5, 10, 25 … 10,000, would put every short epoch in one bucket);
        // OpenTelemetry honours the advice unless a view overrides it.
        EpochSeconds = _meter.CreateHistogram("rnnlab.epoch.duration", "s", "Wall time of one training epoch of one trial",
            tags: null, advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = EpochSecondsBounds });
        SamplesPerSecond = _meter.CreateHistogram("rnnlab.epoch.samples_per_second", "{sample}/s", "Training throughput of one epoch, when the worker reports it",
            tags: null, advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = SamplesPerSecondBounds });
        _meter.CreateObservableGauge("rnnlab.trials", () => _snapshot.TrialsByState.Select(
            pair => new Measurement<long>(pair.Value, new KeyValuePair<string, object?>("state", pair.Key))), "{trial}", "Trials of unfinished sweeps by state");
        _meter.CreateObservableGauge("rnnlab.trials.running", () => _snapshot.Running, "{trial}", "Trials running now");
        _meter.CreateObservableGauge("rnnlab.queue.depth", () => _snapshot.Queued, "{trial}", "Trials queued for a worker slot");
        _meter.CreateObservableGauge("rnnlab.slots", () => _snapshot.Slots, "{slot}", "Worker slots of this silo");
        _meter.CreateObservableCounter("rnnlab.slots.busy_time", () => _snapshot.SlotBusySeconds, "s", "Slot time this silo spent running trials");
    }

    /// <summary>From a 10 ms epoch of a toy task to a half-hour epoch of a large model.</summary>
    public static IReadOnlyList<double> EpochSecondsBounds { get; } =
        [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800];

    /// <summary>Roughly three bounds per decade from 10 to 10 million samples a second.</summary>
    public static IReadOnlyList<double> SamplesPerSecondBounds { get; } =
        [10, 25, 50, 100, 250, 500, 1_000, 2_500, 5_000, 10_000, 25_000, 50_000, 100_000, 250_000, 500_000, 1_000_000, 2_500_000, 10_000_000];

    public Histogram<double> EpochSeconds { get; }

    public Histogram<double> SamplesPerSecond { get; }

    internal void Update(PlatformSnapshot snapshot) => _snapshot = snapshot;

    public void Dispose() => _meter.Dispose();
}

/// <summary>What the metrics poller last saw of the platform.</summary>
internal sealed record PlatformSnapshot(IReadOnlyDictionary<string, long> TrialsByState, long Running, long Queued, long Slots, double SlotBusySeconds)
{
    public static PlatformSnapshot Empty { get; } = new(new Dictionary<string, long>(), 0, 0, 0, 0);
}
