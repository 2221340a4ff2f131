namespace RnnLab.Dashboard.Aggregation;

/// <summary>The best share of a set of objective values, as in the "best 10 %" panels of Greff et al.'s Figure 3.</summary>
public static class BestFraction
{
    /// <summary>The best ⌈n·fraction⌉ finite values (at least one when there is any), best first.</summary>
    public static IReadOnlyList<double> Of(IEnumerable<double> values, double fraction, bool maximize)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (!(fraction > 0 && fraction <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(fraction), fraction, "the fraction must be in (0, 1]");
        }

        var finite = values.Where(double.IsFinite).ToArray();
        var count = Math.Max(1, (int)Math.Ceiling(finite.Length * fraction - 1e-9));
        var ranked = maximize ? finite.OrderDescending() : finite.Order();
        return ranked.Take(count).ToArray();
    }
}
