using SweepState = RnnLab.Sweeps.Trials.SweepState;
using TrialState = RnnLab.Sweeps.Trials.TrialState;
using System.Runtime.CompilerServices;
using RnnLab.Grains;
using RnnLab.Server.Grpc;
using RnnLab.Storage;
using V1 = RnnLab.Contracts.V1;

namespace RnnLab.Server.Sweeping;

/// <summary>Long-polls the sweep grain, which answers from the database and then as events happen, so no event is missed; ends after sweep-finished.</summary>
public sealed class GrainEventFeed(IGrainFactory grains, ISweepStore store) : ISweepEventFeed
{
    private const int PageSize = 500;
    private static readonly TimeSpan MaxWait = TimeSpan.FromSeconds(10);

    public async IAsyncEnumerable<V1.SweepEvent> ReadAsync(Guid sweepId, long afterSequence, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var grain = grains.GetGrain<ISweepGrain>(sweepId);
        var last = afterSequence;
        var caughtUpWhileFinal = 0;
        while (true)
        {
            // The sweep-finished event ends every stream; a reader who already saw it gets nothing more.
            var status = await grain.GetStatus().WaitAsync(cancellationToken);
            if (status.State is not (SweepState.Running or SweepState.Paused) && last >= status.LastSequence)
            {
                // One more wait (with nothing new) lets a sweep-finished event that is still being written arrive.
                if (caughtUpWhileFinal++ > 0 || await EndedAtAsync(sweepId, last, cancellationToken))
                {
                    yield break;
                }
            }

            var page = await grain.WaitForEvents(last, PageSize, MaxWait).WaitAsync(cancellationToken);
            if (page.Count > 0)
            {
                caughtUpWhileFinal = 0;
            }

            foreach (var item in page)
            {
                last = item.Sequence;
                yield return ToProto(item);
                if (item.Kind == SweepEventKinds.SweepFinished)
                {
                    yield break;
                }
            }
        }
    }

    private async Task<bool> EndedAtAsync(Guid sweepId, long sequence, CancellationToken cancellationToken)
    {
        var events = await store.ReadEventsAsync(sweepId, sequence - 1, 1, cancellationToken);
        return events.Count == 1 && events[0].Kind == SweepEventKinds.SweepFinished;
    }

    internal static V1.SweepEvent ToProto(SweepEvent item)
    {
        var message = new V1.SweepEvent
        {
            Sequence = item.Sequence,
            Kind = item.Kind,
            Time = item.Time.ToTimestamp(),
            TrialNumber = item.TrialNumber ?? 0,
            Epoch = item.Epoch ?? 0,
            PayloadJson = item.Detail ?? "",
        };
        if (item.Value is { } value)
        {
            message.Value = value;
        }

        if (item.TrialState is { } trialState)
        {
            message.TrialState = trialState.ToProto();
        }

        if (item.SweepState is { } sweepState)
        {
            message.SweepState = sweepState.ToProto();
        }

        return message;
    }
}
