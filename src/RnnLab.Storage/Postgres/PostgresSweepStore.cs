using Npgsql;
using RnnLab.Storage.Stores;

namespace RnnLab.Storage.Postgres;

/// <summary>Sweeps on PostgreSQL: events are appended as one array insert that shares a round trip through the <see cref="CommandBatcher"/>.</summary>
internal sealed class PostgresSweepStore(RnnLabDatabase database, CommandBatcher batcher, TimeProvider time) : SweepStore(database, time)
{
    protected override async Task AppendEventsCoreAsync(IReadOnlyList<SweepEventRecord> events, CancellationToken cancellationToken)
    {
        // A busy sweep writes thousands of events a second: one array insert per list, sharing its round trip
        // and commit with the other writes queued at the time.
        try
        {
            await batcher.ExecuteAsync(SqlCommands.InsertEvents(events), cancellationToken);
        }
        catch (PostgresException e) when (e.IsConstraint())
        {
            throw new StorageConflictException($"{events.Count} sweep event(s) could not be written: {e.MessageText}", e);
        }
    }
}
