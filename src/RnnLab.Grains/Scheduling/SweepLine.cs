namespace RnnLab.Grains.Scheduling;

/// <summary>
/// One sweep's place in the lease book: its queued trials in order, how many of its trials are leased, and when it
/// was last served. Lines order by (leased, last served, id), so the first line is the sweep fair share serves next.
/// </summary>
internal sealed class SweepLine(Guid sweepId) : IComparable<SweepLine>
{
    public Guid SweepId { get; } = sweepId;

    public LinkedList<QueuedTrial> Queue { get; } = [];

    public int Leased { get; set; }

    /// <summary>The grant count of the book when this sweep was last served; 0 before its first grant.</summary>
    public long LastServed { get; set; }

    public bool IsIdle => Queue.Count == 0 && Leased == 0;

    public int CompareTo(SweepLine? other)
    {
        if (other is null)
        {
            return 1;
        }

        var byLeased = Leased.CompareTo(other.Leased);
        if (byLeased != 0)
        {
            return byLeased;
        }

        var byTurn = LastServed.CompareTo(other.LastServed);
        return byTurn != 0 ? byTurn : SweepId.CompareTo(other.SweepId);
    }

    /// <summary>The first queued trial whose back-off has ended, or null.</summary>
    public LinkedListNode<QueuedTrial>? FirstReady(DateTime now)
    {
        for (var node = Queue.First; node is not null; node = node.Next)
        {
            if (node.Value.NotBefore is not { } notBefore || notBefore <= now)
            {
                return node;
            }
        }

        return null;
    }
}
