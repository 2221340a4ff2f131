using System.ComponentModel;
using Microsoft.Extensions.Logging;
using RnnLab.Server.Hosting;
using Spectre.Console;
using Spectre.Console.Cli;

namespace RnnLab.Cli.Api.Commands;

/// <summary><c>rnnlab serve</c>: the all-in-one server (API + worker + SQLite + dashboard) on localhost until Ctrl-C.</summary>
public sealed class ServeCommand : AsyncCommand<ServeCommand.Settings>
{
    public sealed class Settings : LocalServerSettings
    {
        [CommandOption("--port <PORT>")]
        [Description("The gRPC port on 127.0.0.1 (default 5180).")]
        [DefaultValue(5180)]
        public int Port { get; init; } = 5180;

        [CommandOption("--no-dashboard")]
        [Description("Do not serve the web dashboard.")]
        public bool NoDashboard { get; init; }
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        using var ctrlC = new CtrlC(cancellationToken);
        await using var server = await LocalServer.StartAsync(
            settings.ServerSettings("Information"),
            builder => builder.Logging.AddSimpleConsole(options => options.SingleLine = true),
            settings.Port,
            ctrlC.Token,
            settings.NoDashboard ? null : settings.DashboardPort);
        AnsiConsole.MarkupLineInterpolated($"RnnLab serving on [bold]{server.Address}[/] (database {settings.DatabasePath}); Ctrl-C stops");
        if (server.DashboardAddress is { } dashboard)
        {
            AnsiConsole.MarkupLineInterpolated($"dashboard at [bold]{dashboard}[/]");
        }
        // Ctrl-C, or SIGTERM (which the host turns into stopping the application), ends serving.
        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(ctrlC.Token, server.App.Lifetime.ApplicationStopping);
        try
        {
            await Task.Delay(Timeout.Infinite, stopping.Token);
        }
        catch (OperationCanceledException)
        {
        }

        return ExitCodes.Ok;
    }
}
