namespace RnnLab.Dashboard.Aggregation;

/// <summary>
/// Thins a curve to at most a given number of points with Largest-Triangle-Three-Buckets, which keeps the
/// first and last points and the peaks and dips that a plot of the full curve would show.
/// </summary>
public static class CurveDecimation
{
    /// <param name="points">Ordered by x. Points with a non-finite value are dropped first (a diverged trial's NaN).</param>
    /// <param name="maxPoints">At least 3.</param>
    public static IReadOnlyList<CurvePoint> Decimate(IReadOnlyList<CurvePoint> points, int maxPoints)
    {
        ArgumentNullException.ThrowIfNull(points);
        if (maxPoints < 3)
        {
            throw new ArgumentOutOfRangeException(nameof(maxPoints), maxPoints, "a decimated curve needs at least 3 points");
        }

        var finite = points.Where(p => double.IsFinite(p.X) && double.IsFinite(p.Y)).ToArray();
        if (finite.Length <= maxPoints)
        {
            return finite;
        }

        var result = new List<CurvePoint>(maxPoints) { finite[0] };
        // The first and last points are kept; the rest fall into maxPoints - 2 buckets of (nearly) equal size.
        var bucketSize = (finite.Length - 2) / (double)(maxPoints - 2);
        var previous = 0;
        for (var bucket = 0; bucket < maxPoints - 2; bucket++)
        {
            var start = (int)Math.Floor(bucket * bucketSize) + 1;
            var end = (int)Math.Floor((bucket + 1) * bucketSize) + 1;
            var nextStart = end;
            var nextEnd = Math.Min((int)Math.Floor((bucket + 2) * bucketSize) + 1, finite.Length);
            var (nextX, nextY) = Average(finite, nextStart, Math.Max(nextEnd, nextStart + 1));

            var best = start;
            var bestArea = -1.0;
            for (var i = start; i < end; i++)
            {
                var area = Math.Abs(
                    (finite[previous].X - nextX) * (finite[i].Y - finite[previous].Y) -
                    (finite[previous].X - finite[i].X) * (nextY - finite[previous].Y));
                if (area > bestArea)
                {
                    bestArea = area;
                    best = i;
                }
            }

            result.Add(finite[best]);
            previous = best;
        }

        result.Add(finite[^1]);
        return result;
    }

    private static (double X, double Y) Average(CurvePoint[] points, int start, int end)
    {
        end = Math.Min(end, points.Length);
        double x = 0, y = 0;
        for (var i = start; i < end; i++)
        {
            x += points[i].X;
            y += points[i].Y;
        }

        var count = end - start;
        return (x / count, y / count);
    }
}
