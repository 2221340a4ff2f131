using System.Collections.Concurrent;
using System.Diagnostics;
using RnnLab.Grains;

namespace RnnLab.Server.Telemetry;

/// <summary>
/// Times epochs from the trial grains' side: the gap between an attempt's start (or previous epoch report) and its
/// next epoch report is that epoch's wall time, whatever executor ran it.
/// </summary>
internal sealed class EpochTimingFilter(RnnLabMetrics metrics) : IIncomingGrainCallFilter
{
    private const string SamplesPerSecondMetric = "samples_per_second";
    private readonly ConcurrentDictionary<GrainId, long> _lastMark = new();

    public async Task Invoke(IIncomingGrainCallContext context)
    {
        await context.Invoke();
        if (context.Grain is not ITrialGrain)
        {
            return;
        }

        var grain = context.TargetId;
        switch (context.InterfaceMethod.Name)
        {
            case nameof(ITrialGrain.StartAttempt):
                _lastMark[grain] = Stopwatch.GetTimestamp();
                break;
            case nameof(ITrialGrain.ReportEpoch):
                RecordEpoch(grain, context.Request.GetArgument(0) as AttemptEpoch);
                break;
            case nameof(ITrialGrain.Finish):
                // The last epoch's report comes with the result.
                if (context.Request.GetArgument(0) is AttemptResult { LastEpoch: { } last })
                {
                    RecordEpoch(grain, last);
                }

                _lastMark.TryRemove(grain, out _);
                break;
            case nameof(ITrialGrain.Fail) or nameof(ITrialGrain.Abandon):
                _lastMark.TryRemove(grain, out _);
                break;
        }
    }

    private void RecordEpoch(GrainId grain, AttemptEpoch? report)
    {
        var now = Stopwatch.GetTimestamp();
        if (_lastMark.TryGetValue(grain, out var previous))
        {
            metrics.EpochSeconds.Record(Stopwatch.GetElapsedTime(previous, now).TotalSeconds);
        }

        _lastMark[grain] = now;
        if (report is not null && report.Metrics.TryGetValue(SamplesPerSecondMetric, out var rate))
        {
            metrics.SamplesPerSecond.Record(rate);
        }
    }
}
