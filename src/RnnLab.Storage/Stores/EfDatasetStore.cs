using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using RnnLab.Storage.Entities;

namespace RnnLab.Storage.Stores;

/// <summary>EF Core implementation of <see cref="IDatasetStore"/>: the bytes live in the database.</summary>
internal sealed class EfDatasetStore(RnnLabDatabase database, TimeProvider time) : IDatasetStore
{
    public async Task<DatasetRecord> PutAsync(string name, string format, byte[] bytes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        if (!DatasetNames.IsValidName(name))
        {
            throw new ArgumentException($"dataset name '{name}' must be 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit");
        }

        if (!DatasetNames.Formats.Contains(format))
        {
            throw new ArgumentException($"dataset format '{format}' is not one of {string.Join(", ", DatasetNames.Formats)}");
        }

        var sha = Convert.ToHexStringLower(SHA256.HashData(bytes));
        using var writing = await database.WriteLockAsync(cancellationToken);
        await using var context = database.CreateContext();
        var existing = await context.Set<DatasetEntity>().AsNoTracking()
            .Where(d => d.Sha256 == sha || d.Name == name)
            .Select(d => new { d.Sha256, d.Name, d.Format, d.Size, d.CreatedAt })
            .ToListAsync(cancellationToken);
        if (existing.FirstOrDefault(d => d.Sha256 == sha && d.Name == name) is { } same)
        {
            return new DatasetRecord(same.Sha256, same.Name, same.Format, same.Size, same.CreatedAt);
        }

        if (existing.FirstOrDefault(d => d.Name == name) is { } named)
        {
            throw new DatasetConflictException($"the name '{name}' already names {DatasetNames.HashPrefix}{named.Sha256}; remove it first or choose another name");
        }

        if (existing.FirstOrDefault(d => d.Sha256 == sha) is { } content)
        {
            throw new DatasetConflictException($"these bytes are already stored as '{content.Name}' ({DatasetNames.HashPrefix}{sha})");
        }

        var entity = new DatasetEntity
        {
            Sha256 = sha,
            Name = name,
            Format = format,
            Size = bytes.LongLength,
            Bytes = bytes,
            // Whole microseconds, as PostgreSQL keeps them, so the record returned equals the one read back.
            CreatedAt = TruncateToMicroseconds(time.GetUtcNow().UtcDateTime),
        };
        context.Add(entity);
        try
        {
            await context.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // Another upload of the same name or bytes won the race; report what is stored now.
            throw new DatasetConflictException($"the name '{name}' or these bytes were stored by another upload at the same time");
        }

        return new DatasetRecord(sha, name, format, entity.Size, entity.CreatedAt);
    }

    private static DateTime TruncateToMicroseconds(DateTime value) => value.AddTicks(-(value.Ticks % 10));

    public async Task<DatasetRecord?> FindAsync(string reference, CancellationToken cancellationToken = default)
    {
        await using var context = database.CreateContext();
        var datasets = context.Set<DatasetEntity>().AsNoTracking();
        if (reference.StartsWith(DatasetNames.HashPrefix, StringComparison.Ordinal))
        {
            var sha = reference[DatasetNames.HashPrefix.Length..];
            datasets = datasets.Where(d => d.Sha256 == sha);
        }
        else if (reference.StartsWith(DatasetNames.NamePrefix, StringComparison.Ordinal))
        {
            var name = reference[DatasetNames.NamePrefix.Length..];
            datasets = datasets.Where(d => d.Name == name);
        }
        else
        {
            return null;
        }

        return await datasets.Select(d => new DatasetRecord(d.Sha256, d.Name, d.Format, d.Size, d.CreatedAt))
            .FirstOrDefaultAsync(cancellationToken);
    }

    public async Task<byte[]?> GetBytesAsync(string sha256, CancellationToken cancellationToken = default)
    {
        await using var context = database.CreateContext();
        return await context.Set<DatasetEntity>().AsNoTracking().Where(d => d.Sha256 == sha256)
            .Select(d => d.Bytes).FirstOrDefaultAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<DatasetRecord>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var context = database.CreateContext();
        return await context.Set<DatasetEntity>().AsNoTracking().OrderBy(d => d.Name)
            .Select(d => new DatasetRecord(d.Sha256, d.Name, d.Format, d.Size, d.CreatedAt))
            .ToListAsync(cancellationToken);
    }

    public async Task<bool> DeleteAsync(string reference, CancellationToken cancellationToken = default)
    {
        if (await FindAsync(reference, cancellationToken) is not { } found)
        {
            return false;
        }

        using var writing = await database.WriteLockAsync(cancellationToken);
        await using var context = database.CreateContext();
        return await context.Set<DatasetEntity>().Where(d => d.Sha256 == found.Sha256).ExecuteDeleteAsync(cancellationToken) > 0;
    }
}
