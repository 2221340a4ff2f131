using Grpc.Core;
using RnnLab.Contracts.V1;

namespace RnnLab.Cli.Api;

/// <summary>Follows a sweep's event stream to its end, reconnecting after the last event seen so nothing is missed.</summary>
public sealed class SweepWatcher(SweepService.SweepServiceClient client)
{
    private const int MaxReconnects = 20;

    /// <summary>The number of the last event delivered.</summary>
    public long LastEvent { get; private set; }

    /// <summary>Streams the snapshot (once) and every event after <paramref name="afterEvent"/>; returns the sweep as it ended.</summary>
    public async Task<Sweep> WatchAsync(
        string sweepId, long afterEvent, Action<SweepSnapshot> onSnapshot, Action<SweepEvent> onEvent, CancellationToken cancellationToken)
    {
        LastEvent = afterEvent;
        var haveSnapshot = false;
        var failures = 0;
        while (true)
        {
            try
            {
                using var call = client.WatchSweep(
                    new WatchSweepRequest { SweepId = sweepId, AfterEvent = LastEvent, SkipSnapshot = haveSnapshot },
                    cancellationToken: cancellationToken);
                await foreach (var item in call.ResponseStream.ReadAllAsync(cancellationToken))
                {
                    failures = 0;
                    if (item.ItemCase == WatchSweepResponse.ItemOneofCase.Snapshot)
                    {
                        haveSnapshot = true;
                        onSnapshot(item.Snapshot);
                    }
                    else if (item.ItemCase == WatchSweepResponse.ItemOneofCase.Event)
                    {
                        LastEvent = item.Event.Sequence;
                        onEvent(item.Event);
                    }
                }

                return await client.GetSweepAsync(new GetSweepRequest { SweepId = sweepId }, cancellationToken: cancellationToken);
            }
            catch (RpcException exception) when (IsTransient(exception) && ++failures <= MaxReconnects && !cancellationToken.IsCancellationRequested)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(250 * Math.Min(failures, 8)), cancellationToken);
            }
        }
    }

    private static bool IsTransient(RpcException exception) =>
        exception.StatusCode is StatusCode.Unavailable or StatusCode.Internal or StatusCode.Unknown or StatusCode.Aborted;
}
