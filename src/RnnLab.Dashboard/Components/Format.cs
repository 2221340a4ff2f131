using System.Globalization;
using Google.Protobuf.WellKnownTypes;
using RnnLab.Contracts.V1;

namespace RnnLab.Dashboard.Components;

/// <summary>How the pages write numbers, times and states.</summary>
internal static class Format
{
    public static string Number(double? value) => value is { } v
        ? (Math.Abs(v) is >= 1e-3 and < 1e5 || v == 0 ? v.ToString("0.####", CultureInfo.InvariantCulture) : v.ToString("0.###e0", CultureInfo.InvariantCulture))
        : "–";

    public static string P(double? p) => p is { } v ? (v < 1e-4 ? v.ToString("0.0e0", CultureInfo.InvariantCulture) : v.ToString("0.####", CultureInfo.InvariantCulture)) : "–";

    public static string Time(Timestamp? time) => time is null || (time.Seconds == 0 && time.Nanos == 0)
        ? "–"
        : time.ToDateTime().ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

    public static string State(SweepState state) => state switch
    {
        SweepState.Running => "running",
        SweepState.Paused => "paused",
        SweepState.Completed => "completed",
        SweepState.Cancelled => "cancelled",
        SweepState.Failed => "failed",
        _ => "unknown",
    };

    public static string State(TrialState state) => state switch
    {
        TrialState.Pending => "pending",
        TrialState.Running => "running",
        TrialState.Completed => "completed",
        TrialState.Pruned => "pruned",
        TrialState.Diverged => "diverged",
        TrialState.Failed => "failed",
        TrialState.Cancelled => "cancelled",
        _ => "unknown",
    };

    public static string Parameter(object value) => value is double d ? Number(d) : value.ToString() ?? "";
}
