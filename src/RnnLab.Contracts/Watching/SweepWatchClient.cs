using Grpc.Core;
using RnnLab.Contracts.V1;

namespace RnnLab.Contracts.Watching;

/// <summary>
/// Follows a sweep's WatchSweep stream to the sweep's end. When the stream breaks it waits, reads the sweep again and
/// resumes after the last event it passed on, so every event arrives once and in order; the snapshot comes once.
/// </summary>
public sealed class SweepWatchClient(SweepService.SweepServiceClient client, SweepWatchOptions? options = null)
{
    private readonly SweepWatchOptions _options = options ?? new SweepWatchOptions();

    /// <summary>
    /// Streams the snapshot and every event after <paramref name="afterEvent"/> into <paramref name="onUpdate"/>
    /// (on the caller's flow, one at a time) until the sweep has finished; returns the sweep as read at the end.
    /// </summary>
    public async Task<Sweep> FollowAsync(string sweepId, long afterEvent, Action<WatchUpdate> onUpdate, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(afterEvent);
        ArgumentNullException.ThrowIfNull(onUpdate);
        var last = afterEvent;
        var haveSnapshot = false;
        var failures = 0;
        while (true)
        {
            string problem;
            try
            {
                if (failures > 0)
                {
                    var current = await client.GetSweepAsync(new GetSweepRequest { SweepId = sweepId }, _options.CallOptions(cancellationToken));
                    onUpdate(new WatchUpdate.ConnectionRestored());
                    onUpdate(new WatchUpdate.SweepRead(current));
                }

                using var call = client.WatchSweep(
                    new WatchSweepRequest { SweepId = sweepId, AfterEvent = last, SkipSnapshot = haveSnapshot },
                    _options.CallOptions(cancellationToken));
                while (await call.ResponseStream.MoveNext(cancellationToken))
                {
                    var item = call.ResponseStream.Current;
                    failures = 0;
                    if (item.ItemCase == WatchSweepResponse.ItemOneofCase.Snapshot && !haveSnapshot)
                    {
                        haveSnapshot = true;
                        onUpdate(new WatchUpdate.SnapshotRead(item.Snapshot));
                    }
                    else if (item.ItemCase == WatchSweepResponse.ItemOneofCase.Event && item.Event.Sequence > last)
                    {
                        last = item.Event.Sequence;
                        onUpdate(new WatchUpdate.EventRead(item.Event));
                    }
                }

                // The server ends the stream once the sweep has finished; a stream that ends earlier was cut.
                var sweep = await client.GetSweepAsync(new GetSweepRequest { SweepId = sweepId }, _options.CallOptions(cancellationToken));
                onUpdate(new WatchUpdate.SweepRead(sweep));
                if (sweep.State is not (SweepState.Running or SweepState.Paused))
                {
                    return sweep;
                }

                problem = "the progress stream ended before the sweep finished";
            }
            catch (RpcException exception) when (!cancellationToken.IsCancellationRequested && IsTransient(exception.StatusCode) && failures < _options.MaxAttempts.GetValueOrDefault(int.MaxValue))
            {
                problem = $"{exception.StatusCode}: {exception.Status.Detail}";
            }
            catch (Exception exception) when (exception is HttpRequestException or IOException && !cancellationToken.IsCancellationRequested && failures < _options.MaxAttempts.GetValueOrDefault(int.MaxValue))
            {
                problem = exception.Message;
            }

            failures++;
            if (failures > _options.MaxAttempts.GetValueOrDefault(int.MaxValue))
            {
                throw new RpcException(new Status(StatusCode.Unavailable, problem));
            }

            var wait = _options.Backoff.Count == 0 ? TimeSpan.Zero : _options.Backoff[Math.Min(failures, _options.Backoff.Count) - 1];
            onUpdate(new WatchUpdate.ConnectionLost(failures, problem, wait));
            await Task.Delay(wait, _options.TimeProvider, cancellationToken);
        }
    }

    /// <summary>Follows <paramref name="start"/>'s sweep, folding every update into the view; returns the view at the sweep's end.</summary>
    /// <param name="onChange">Called after each update with the view it produced.</param>
    public async Task<LiveSweep> FollowAsync(LiveSweep start, Action<WatchUpdate, LiveSweep>? onChange, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(start);
        var view = start;
        await FollowAsync(start.Sweep.Id, start.LastEvent, update =>
        {
            view = SweepReducer.Reduce(view, update);
            onChange?.Invoke(update, view);
        }, cancellationToken);
        return view;
    }

    /// <summary>Failures a reconnect can cure: the server or the network went away, or the call was cut.</summary>
    private static bool IsTransient(StatusCode code) =>
        code is StatusCode.Unavailable or StatusCode.Internal or StatusCode.Unknown or StatusCode.Aborted
            or StatusCode.DeadlineExceeded or StatusCode.ResourceExhausted or StatusCode.Cancelled;
}
