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
        EpochSeconds = _meter.CreateHistogram<double>("rnnlab.epoch.duration", "s", "Wall time of one training epoch of one trial");
        SamplesPerSecond = _meter.CreateHistogram<double>("rnnlab.epoch.samples_per_second", "{sample}/s", "Training throughput of one epoch, when the worker reports it");
        _meter.CreateObservableGauge("rnnlab.trials", () => _snapshot.TrialsByState.Select(
            pair => new Measurement<long>(pair.Value, new KeyValuePair<string, object?>("state", pair.Key))), "{trial}", "Trials of unfinished sweeps by state");
        _meter.CreateObservableGauge("rnnlab.trials.running", () => _snapshot.Running, "{trial}", "Trials running now");
        _meter.CreateObservableGauge("rnnlab.queue.depth", () => _snapshot.Queued, "{trial}", "Trials queued for a worker slot");
        _meter.CreateObservableGauge("rnnlab.slots", () => _snapshot.Slots, "{slot}", "Worker slots of this silo");
        _meter.CreateObservableCounter("rnnlab.slots.busy_time", () => _snapshot.SlotBusySeconds, "s", "Slot time this silo spent running trials");
    }

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
