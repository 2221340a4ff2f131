namespace RnnLab.Storage;

/// <summary>Datasets uploaded through the API, content-addressed by SHA-256 and registered under a unique name.</summary>
public interface IDatasetStore
{
    /// <summary>Stores a dataset; storing the same bytes under the same name again returns the existing record.</summary>
    /// <exception cref="DatasetConflictException">The name is taken by other bytes, or the bytes by another name.</exception>
    Task<DatasetRecord> PutAsync(string name, string format, byte[] bytes, CancellationToken cancellationToken = default);

    /// <summary>A dataset by reference (<c>sha256:HEX</c> or <c>dataset:NAME</c>), without its bytes; null if none.</summary>
    Task<DatasetRecord?> FindAsync(string reference, CancellationToken cancellationToken = default);

    Task<byte[]?> GetBytesAsync(string sha256, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<DatasetRecord>> ListAsync(CancellationToken cancellationToken = default);

    /// <summary>Removes a dataset by reference; false when there was none.</summary>
    Task<bool> DeleteAsync(string reference, CancellationToken cancellationToken = default);
}

/// <summary>A stored dataset's description (its bytes are read separately).</summary>
public sealed record DatasetRecord(string Sha256, string Name, string Format, long Size, DateTime CreatedAt)
{
    public string Reference => DatasetNames.HashPrefix + Sha256;
}

/// <summary>A name or content already stored differently.</summary>
public sealed class DatasetConflictException(string message) : Exception(message);
