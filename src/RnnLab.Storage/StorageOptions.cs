using Microsoft.Data.Sqlite;

namespace RnnLab.Storage;

/// <summary>Where the platform's state lives.</summary>
public sealed class StorageOptions
{
    public StorageProvider Provider { get; set; } = StorageProvider.Sqlite;

    /// <summary>
    /// An ADO.NET connection string for the chosen provider (e.g. "Data Source=rnnlab.db"). A relative SQLite file
    /// is placed in the host's data folder (<see cref="PlaceSqliteFileIn"/>), not in the current directory.
    /// </summary>
    public string ConnectionString { get; set; } = "Data Source=rnnlab.db";

    /// <summary>Whether a hosted service applies pending migrations at start-up.</summary>
    public bool MigrateOnStartup { get; set; } = true;

    /// <summary>
    /// Makes a relative SQLite file absolute under <paramref name="dataFolder"/> (created if missing), so where the
    /// database lands does not depend on the directory a process was started from. In-memory databases, absolute
    /// paths and other providers are left as they are.
    /// </summary>
    public void PlaceSqliteFileIn(string dataFolder)
    {
        if (Provider != StorageProvider.Sqlite || string.IsNullOrWhiteSpace(ConnectionString))
        {
            return;
        }

        var builder = new SqliteConnectionStringBuilder(ConnectionString);
        var file = builder.DataSource;
        if (builder.Mode == SqliteOpenMode.Memory || string.IsNullOrEmpty(file) || file == ":memory:"
            || file.StartsWith("file:", StringComparison.OrdinalIgnoreCase) || Path.IsPathRooted(file))
        {
            return;
        }

        var folder = Path.GetFullPath(dataFolder);
        Directory.CreateDirectory(folder);
        builder.DataSource = Path.Combine(folder, file);
        ConnectionString = builder.ToString();
    }

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
