using Microsoft.EntityFrameworkCore;
using RnnLab.Storage.Entities;
using RnnLab.Storage.Stores;

namespace RnnLab.Storage.Sqlite;

/// <summary>Sweeps in a SQLite file: events are added through EF Core in one transaction, one writer at a time.</summary>
internal sealed class SqliteSweepStore(RnnLabDatabase database, TimeProvider time) : SweepStore(database, time)
{
    protected override async Task AppendEventsCoreAsync(IReadOnlyList<SweepEventRecord> events, CancellationToken cancellationToken)
    {
        using var writing = await Database.WriteLockAsync(cancellationToken);
        await using var context = Database.CreateContext();
        context.SweepEvents.AddRange(events.Select(e => new SweepEventEntity
        {
            SweepId = e.SweepId,
            Sequence = e.Sequence,
            Kind = e.Kind,
            PayloadJson = e.PayloadJson,
            Time = e.Time,
        }));
        try
        {
            await context.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException e)
        {
            throw new StorageConflictException($"{events.Count} sweep event(s) could not be written: {e.InnerException?.Message ?? e.Message}", e);
        }
    }
}
