using System.Runtime.CompilerServices;
using RnnLab.Grains;
using RnnLab.Server.Grpc;
using V1 = RnnLab.Contracts.V1;

namespace RnnLab.Server.Sweeping;

/// <summary>Long-polls the sweep grain, which answers from the database and then as events happen, so no event is missed.</summary>
public sealed class GrainEventFeed(IGrainFactory grains) : ISweepEventFeed
{
    private const int PageSize = 500;
    private static readonly TimeSpan MaxWait = TimeSpan.FromSeconds(10);

    public async IAsyncEnumerable<V1.SweepEvent> ReadAsync(Guid sweepId, long afterSequence, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var grain = grains.GetGrain<ISweepGrain>(sweepId);
        var last = afterSequence;
        while (true)
        {
            // A finished sweep gets no new events: read what is left without waiting.
            var final = (await grain.GetStatus().WaitAsync(cancellationToken)).State is not (SweepState.Running or SweepState.Paused);
            var page = await grain.WaitForEvents(last, PageSize, final ? TimeSpan.Zero : MaxWait).WaitAsync(cancellationToken);
            var finished = false;
            foreach (var item in page)
            {
                last = item.Sequence;
                finished |= item.Kind == SweepEventKinds.SweepFinished;
                yield return ToProto(item);
            }

            if (finished || (final && page.Count < PageSize))
            {
                yield break;
            }
        }
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
            message.TrialState = Enum.Parse<Storage.TrialState>(trialState.ToString()).ToProto();
        }

        if (item.SweepState is { } sweepState)
        {
            message.SweepState = Enum.Parse<Storage.SweepState>(sweepState.ToString()).ToProto();
        }

        return message;
    }
}
