using RnnLab.Contracts.V1;

namespace RnnLab.Contracts.Watching;

/// <summary>Something a watch learned: a read from the server, an event from the stream, or a change of its connection.</summary>
public abstract record WatchUpdate
{
    private WatchUpdate()
    {
    }

    /// <summary>The snapshot a watch stream starts with.</summary>
    public sealed record SnapshotRead(SweepSnapshot Snapshot) : WatchUpdate;

    /// <summary>One numbered event of the stream.</summary>
    public sealed record EventRead(SweepEvent Event) : WatchUpdate;

    /// <summary>The sweep read with GetSweep (after a reconnect, and when the stream ends).</summary>
    public sealed record SweepRead(Sweep Sweep) : WatchUpdate;

    /// <summary>Trials read with ListTrials, for instance those events named before their records were seen.</summary>
    public sealed record TrialsRead(IReadOnlyList<Trial> Trials) : WatchUpdate;

    /// <summary>The stream broke; the watch tries again after <paramref name="RetryIn"/>.</summary>
    /// <param name="Attempt">1 for the first failure since the stream was last up.</param>
    public sealed record ConnectionLost(int Attempt, string Problem, TimeSpan RetryIn) : WatchUpdate;

    /// <summary>The stream is up again after a loss; events resume after the last one seen.</summary>
    public sealed record ConnectionRestored : WatchUpdate;
}
