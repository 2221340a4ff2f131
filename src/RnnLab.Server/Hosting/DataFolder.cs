namespace RnnLab.Server.Hosting;

/// <summary>
/// The folder a server keeps its own files in (the default SQLite database): the setting "DataFolder"
/// (RNNLAB_DATAFOLDER), else "rnnlab" in the user's data folder, the same place <c>rnnlab run</c> uses.
/// </summary>
public static class DataFolder
{
    public const string Key = "DataFolder";

    public static string Resolve(IConfiguration configuration) =>
        configuration[Key] is { Length: > 0 } folder ? Path.GetFullPath(folder) : Default();

    /// <summary>~/.local/share/rnnlab on Linux, %LOCALAPPDATA%\rnnlab on Windows; the temp folder where a user has no home.</summary>
    public static string Default()
    {
        var root = Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.Create);
        return Path.Combine(string.IsNullOrEmpty(root) ? Path.GetTempPath() : root, "rnnlab");
    }
}
