namespace RnnLab.Server.Sweeping;

/// <summary>A sweep's progress events after a given number, then live ones until the sweep finishes.</summary>
public interface ISweepEventFeed
{
    IAsyncEnumerable<Contracts.V1.SweepEvent> ReadAsync(Guid sweepId, long afterSequence, CancellationToken cancellationToken);
}
