namespace RnnLab.Storage.Stores;

/// <summary>The checks every write of metric points makes before touching the database.</summary>
internal static class MetricPointValidation
{
    /// <summary>Throws naming the first point without a name, or (when <paramref name="trialId"/> is given) of another trial.</summary>
    public static void Validate(IReadOnlyList<MetricPoint> points, string parameterName, Guid? trialId = null)
    {
        ArgumentNullException.ThrowIfNull(points, parameterName);
        for (var i = 0; i < points.Count; i++)
        {
            var p = points[i];
            if (string.IsNullOrEmpty(p.Name))
            {
                throw new ArgumentException($"Metric point {i} of trial {p.TrialId} at epoch {p.Epoch} has no name.", parameterName);
            }

            if (trialId is { } expected && p.TrialId != expected)
            {
                throw new ArgumentException(
                    $"Metric point {i} ('{p.Name}' at epoch {p.Epoch}) belongs to trial {p.TrialId}, not to trial {expected}.",
                    parameterName);
            }
        }
    }
}
