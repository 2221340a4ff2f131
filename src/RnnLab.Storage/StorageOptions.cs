namespace RnnLab.Storage;

/// <summary>Where the platform's state lives.</summary>
public sealed class StorageOptions
{
    public StorageProvider Provider { get; set; } = StorageProvider.Sqlite;

    /// <summary>An ADO.NET connection string for the chosen provider (e.g. "Data Source=rnnlab.db").</summary>
    public string ConnectionString { get; set; } = "Data Source=rnnlab.db";

    /// <summary>Whether a hosted service applies pending migrations at start-up.</summary>
    public bool MigrateOnStartup { get; set; } = true;

    internal void Validate()
    {
        if (string.IsNullOrWhiteSpace(ConnectionString))
        {
            throw new ArgumentException("StorageOptions.ConnectionString is empty.", nameof(ConnectionString));
        }

        if (!Enum.IsDefined(Provider))
        {
            throw new ArgumentException($"StorageOptions.Provider '{Provider}' is not a known provider.", nameof(Provider));
        }
    }
}
