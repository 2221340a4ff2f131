namespace RnnLab.Storage;

/// <summary>Per-epoch metric points, written in batches.</summary>
public interface IMetricStore
{
    /// <summary>
    /// Writes a batch of points in one round trip: on PostgreSQL small batches are grouped with other concurrent
    /// writes into one transaction, large ones use the binary COPY import.
    /// </summary>
    Task AppendAsync(IReadOnlyList<MetricPoint> points, CancellationToken cancellationToken = default);

    /// <summary>A trial's points ordered by epoch then name.</summary>
    Task<IReadOnlyList<MetricPoint>> ReadAsync(Guid trialId, CancellationToken cancellationToken = default);

    /// <summary>
    /// One metric of several trials in one query, grouped by trial and by epoch within a trial: the learning curves a
    /// chart draws.
    /// Trials without the metric (or unknown ids) simply have no points.
    /// </summary>
    Task<IReadOnlyList<MetricPoint>> ReadAsync(IReadOnlyCollection<Guid> trialIds, string name, CancellationToken cancellationToken = default);

    /// <summary>Drops points after an epoch, so a trial resumed from a checkpoint does not report an epoch twice.</summary>
    Task<int> DeleteAfterEpochAsync(Guid trialId, int epoch, CancellationToken cancellationToken = default);
}
