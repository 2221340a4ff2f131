using System.Globalization;

namespace RnnLab.Reports;

/// <summary>Number formats shared by the report's text and tables (invariant culture, so reports diff cleanly).</summary>
public static class Format
{
    public static string Number(double value) => !double.IsFinite(value)
        ? value.ToString(CultureInfo.InvariantCulture)
        : Math.Abs(value) is >= 1e-3 and < 1e5 or 0
            ? value.ToString("0.####", CultureInfo.InvariantCulture)
            : value.ToString("0.###e+0", CultureInfo.InvariantCulture);

    public static string P(double p) => p < 1e-4 ? p.ToString("0.0e+0", CultureInfo.InvariantCulture) : p.ToString("0.0000", CultureInfo.InvariantCulture);

    public static string Percent(double fraction) => (fraction * 100).ToString("0.0", CultureInfo.InvariantCulture) + " %";

    public static string Duration(TimeSpan? span) => span is not { } s
        ? "–"
        : s.TotalHours >= 1 ? $"{(int)s.TotalHours} h {s.Minutes:00} min" : s.TotalMinutes >= 1 ? $"{(int)s.TotalMinutes} min {s.Seconds:00} s" : $"{s.TotalSeconds:0.0} s";
}
