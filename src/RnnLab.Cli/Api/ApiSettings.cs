using System.ComponentModel;
using Spectre.Console.Cli;

namespace RnnLab.Cli.Api;

/// <summary>Options every command that talks to a server shares.</summary>
public class ApiSettings : CommandSettings
{
    public const string DefaultServer = "http://localhost:5180";

    [CommandOption("--server <URL>")]
    [Description("Server address (default: $RNNLAB_SERVER, else http://localhost:5180). The API key comes from $RNNLAB_API_KEY.")]
    public string? Server { get; init; }

    [CommandOption("--json")]
    [Description("Print machine-readable JSON instead of tables.")]
    public bool Json { get; init; }

    public string ServerAddress =>
        Server ?? (Environment.GetEnvironmentVariable("RNNLAB_SERVER") is { Length: > 0 } fromEnvironment ? fromEnvironment : DefaultServer);
}

/// <summary>Options of commands that act on one sweep.</summary>
public class SweepIdSettings : ApiSettings
{
    [CommandArgument(0, "<SWEEP_ID>")]
    [Description("The sweep's id (as printed by submit or ls).")]
    public string SweepId { get; init; } = "";
}
