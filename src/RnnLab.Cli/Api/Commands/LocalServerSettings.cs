using System.ComponentModel;
using RnnLab.Server.Hosting;
using Spectre.Console.Cli;

namespace RnnLab.Cli.Api.Commands;

/// <summary>Options of the commands that host a server in this process (run, serve).</summary>
public class LocalServerSettings : CommandSettings
{
    [CommandOption("--db <FILE>")]
    [Description("The SQLite file holding sweeps (default: rnnlab.db in RNNLAB_DATAFOLDER, else ~/.local/share/rnnlab).")]
    public string? Database { get; init; }

    [CommandOption("--slots <N>")]
    [Description("Trials trained at once (default: one per core).")]
    public int? Slots { get; init; }

    [CommandOption("--dashboard-port <PORT>")]
    [Description("The port on 127.0.0.1 of the web dashboard (serve, or run with --dashboard; default 5190, 0 picks a free one).")]
    [DefaultValue(5190)]
    public int DashboardPort { get; init; } = 5190;

    public string DatabasePath => Path.GetFullPath(Database ?? DefaultDatabasePath());

    /// <summary>Settings for <see cref="Server.Hosting.LocalServer"/>: SQLite in the user's data folder, no other dependency.</summary>
    public Dictionary<string, string?> ServerSettings(string logLevel)
    {
        var path = DatabasePath;
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var settings = new Dictionary<string, string?>
        {
            ["Role"] = "All",
            ["Storage:Provider"] = "Sqlite",
            ["Storage:ConnectionString"] = $"Data Source={path}",
            ["Logging:LogLevel:Default"] = logLevel,
            ["Logging:LogLevel:Orleans"] = "Error",
            ["Logging:LogLevel:Microsoft"] = "Warning",
        };
        if (Slots is { } slots)
        {
            settings["Slots"] = slots.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return settings;
    }

    /// <summary>The same data folder a standalone server uses (RNNLAB_DATAFOLDER, else the user data folder).</summary>
    private static string DefaultDatabasePath() =>
        Path.Combine(
            Environment.GetEnvironmentVariable(ServerHostingExtensions.EnvironmentPrefix + DataFolder.Key.ToUpperInvariant()) is { Length: > 0 } folder
                ? Path.GetFullPath(folder)
                : DataFolder.Default(),
            "rnnlab.db");
}
