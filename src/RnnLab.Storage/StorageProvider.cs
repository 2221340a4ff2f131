namespace RnnLab.Storage;

/// <summary>Which database holds the platform's state.</summary>
public enum StorageProvider
{
    /// <summary>A SQLite file: the embedded default, no server needed.</summary>
    Sqlite,

    /// <summary>PostgreSQL: for clusters and the tests.</summary>
    Postgres,
}
