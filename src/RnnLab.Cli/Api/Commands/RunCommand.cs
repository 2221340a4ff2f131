using System.ComponentModel;
using System.Text.Json.Nodes;
using Grpc.Core;
using Microsoft.Extensions.Logging;
using RnnLab.Contracts.V1;
using RnnLab.Server.Hosting;
using RnnLab.Sweeps.Spec;
using Spectre.Console;
using Spectre.Console.Cli;

namespace RnnLab.Cli.Api.Commands;

/// <summary>
/// <c>rnnlab run FILE</c>: the embedded all-in-one. Hosts a server in this process (silo, SQLite, loopback gRPC),
/// runs the sweep with live progress, then prints the leaderboard and analysis. Ctrl-C pauses the sweep (a second
/// one exits at once); running the same spec again resumes it, keeping every finished trial.
/// With <c>--dashboard</c> the web dashboard is served too, during the sweep and after it until Ctrl-C.
/// </summary>
public sealed class RunCommand : AsyncCommand<RunCommand.Settings>
{
    public sealed class Settings : LocalServerSettings
    {
        [CommandArgument(0, "<FILE>")]
        [Description("The sweep spec (YAML), e.g. experiments/quickstart.yaml.")]
        public string File { get; init; } = "";

        [CommandOption("--json")]
        [Description("No progress display; print one JSON object {sweep, analysis} at the end.")]
        public bool Json { get; init; }

        [CommandOption("--top <N>")]
        [Description("Rows of the leaderboard (default 10).")]
        [DefaultValue(10)]
        public int Top { get; init; } = 10;

        [CommandOption("--new")]
        [Description("Start a new sweep even when an unfinished one of the same name is in the database.")]
        public bool New { get; init; }

        [CommandOption("--dashboard")]
        [Description("Also serve the web dashboard (URL printed at start, on stderr with --json) while the sweep runs; when it ends, keep serving it until Ctrl-C instead of exiting.")]
        public bool Dashboard { get; init; }
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        if (!System.IO.File.Exists(settings.File))
        {
            ApiErrorReport.PrintMessage($"FILE: '{settings.File}' does not exist", settings.Json);
            return ExitCodes.InvalidArgument;
        }

        // Cell graphs named by file go into the spec inline: the sweep and its trials keep the graphs themselves.
        var read = SpecFile.Read(settings.File);
        if (!read.IsValid)
        {
            ApiErrorReport.PrintMessage(
                $"FILE: '{settings.File}' names cell graph files that cannot be used:\n  {string.Join("\n  ", read.Errors)}", settings.Json);
            return ExitCodes.InvalidArgument;
        }

        var spec = read.Text;
        using var ctrlC = new CtrlC(cancellationToken);
        var serverSettings = WithLocalPaths(settings.ServerSettings("Warning"));
        if (!settings.Dashboard)
        {
            // No page will show this sweep's charts: the server ends with the command.
            serverSettings["Api:ChartWarmInterval"] = "00:00:00";
        }

        await using var server = await LocalServer.StartAsync(
            serverSettings,
            builder => builder.Logging.AddConsole(options => options.LogToStandardErrorThreshold = LogLevel.Trace),
            cancellationToken: cancellationToken,
            dashboardPort: settings.Dashboard ? settings.DashboardPort : null);
        if (server.DashboardAddress is { } dashboard)
        {
            // stdout carries only the JSON object under --json.
            var console = settings.Json ? AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) }) : AnsiConsole.Console;
            console.MarkupLineInterpolated($"dashboard at [bold]{dashboard}[/]");
        }

        using var connection = new ApiConnection(server.Address.ToString(), apiKey: "");
        var client = connection.Sweeps;
        try
        {
            var unfinished = settings.New ? null : await UnfinishedSweep.FindAsync(client, spec, cancellationToken);
            if (unfinished is { Differences.Count: > 0 } changed)
            {
                ApiErrorReport.PrintMessage(
                    $"the unfinished sweep '{changed.Sweep.Name}' ({changed.Sweep.Id}) has a different spec:\n  {string.Join("\n  ", changed.Differences)}\n" +
                    "run with --new to start a new sweep (the unfinished one stays in the database), or restore the spec to continue it",
                    settings.Json);
                return ExitCodes.InvalidArgument;
            }

            string sweepId;
            if (unfinished is { Sweep: var existing })
            {
                sweepId = existing.Id;
                if (existing.State == SweepState.Paused)
                {
                    await client.ResumeSweepAsync(new SweepActionRequest { SweepId = sweepId }, cancellationToken: cancellationToken);
                }

                if (!settings.Json)
                {
                    AnsiConsole.MarkupLineInterpolated(
                        $"resuming sweep [bold]{existing.Name}[/] ({sweepId}): {existing.Trials.Completed + existing.Trials.Pruned + existing.Trials.Diverged} of {existing.Budget} trials already done (--new starts over); database {settings.DatabasePath}");
                }
            }
            else
            {
                var submitted = await client.SubmitSweepAsync(new SubmitSweepRequest { SpecYaml = spec }, cancellationToken: cancellationToken);
                sweepId = submitted.Sweep.Id;
                if (!settings.Json)
                {
                    AnsiConsole.MarkupLineInterpolated($"running sweep [bold]{submitted.Sweep.Name}[/] ({sweepId}) in this process; database {settings.DatabasePath}");
                }
            }

            Sweep sweep;
            try
            {
                sweep = await WatchDisplay.RunAsync(client, sweepId, settings.Json ? WatchOutput.Quiet : WatchOutput.Live, ctrlC.Token);
            }
            catch (Exception exception) when (ctrlC.Pressed && exception is OperationCanceledException or RpcException { StatusCode: StatusCode.Cancelled })
            {
                await PauseAsync(client, sweepId, settings.File, settings.Json);
                return ExitCodes.Interrupted;
            }

            var analysis = await client.AnalyzeSweepAsync(new AnalyzeSweepRequest { SweepId = sweepId, Top = settings.Top }, cancellationToken: cancellationToken);
            if (settings.Json)
            {
                JsonOutput.Write(new JsonObject { ["sweep"] = JsonOutput.ToNode(sweep), ["analysis"] = JsonOutput.ToNode(analysis) });
            }
            else
            {
                SweepTables.WriteAnalysis(AnsiConsole.Console, analysis);
            }

            if (settings.Dashboard)
            {
                await KeepServingAsync(server, ctrlC, settings.Json);
            }

            return sweep.State == SweepState.Completed ? ExitCodes.Ok : ExitCodes.SweepNotCompleted;
        }
        catch (RpcException exception)
        {
            return ApiErrorReport.Print(exception, settings.Json);
        }
    }

    /// <summary>Leaves the finished sweep on the dashboard until Ctrl-C or SIGTERM (which the host turns into stopping).</summary>
    private static async Task KeepServingAsync(LocalServer server, CtrlC ctrlC, bool json)
    {
        if (!json)
        {
            AnsiConsole.MarkupLineInterpolated($"the sweep ended; the dashboard stays at [bold]{server.DashboardAddress}[/] until Ctrl-C");
        }

        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(ctrlC.Token, server.App.Lifetime.ApplicationStopping);
        try
        {
            await Task.Delay(Timeout.Infinite, stopping.Token);
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>
    /// Pauses the sweep: nothing new starts, and the trials still running stop with this process, each from its latest
    /// checkpoint the next time. Running the same spec again continues it.
    /// </summary>
    private static async Task PauseAsync(SweepService.SweepServiceClient client, string sweepId, string file, bool json)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var sweep = await client.PauseSweepAsync(new SweepActionRequest { SweepId = sweepId }, cancellationToken: timeout.Token);
        if (json)
        {
            JsonOutput.Write(new JsonObject { ["sweep"] = JsonOutput.ToNode(sweep) });
        }
        else
        {
            AnsiConsole.MarkupLineInterpolated(
                $"paused sweep [bold]{sweep.Name}[/] ({sweepId}); run [bold]rnnlab run {file}[/] again to continue it");
        }
    }

    /// <summary>An embedded run reads the user's own files: spec paths are local paths here, unlike on a server.</summary>
    private static Dictionary<string, string?> WithLocalPaths(Dictionary<string, string?> settings)
    {
        settings["Data:AllowLocalPaths"] = "true";
        return settings;
    }
}
