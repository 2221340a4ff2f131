using System.ComponentModel;
using RnnLab.Contracts.V1;
using RnnLab.Sweeps.Spec;
using Spectre.Console;
using Spectre.Console.Cli;

namespace RnnLab.Cli.Api.Commands;

/// <summary><c>rnnlab submit FILE [--watch]</c>: sends a sweep spec to the server.</summary>
public sealed class SubmitCommand : ApiCommand<SubmitCommand.Settings>
{
    public sealed class Settings : ApiSettings
    {
        [CommandArgument(0, "<FILE>")]
        [Description("The sweep spec (YAML), e.g. experiments/quickstart.yaml.")]
        public string File { get; init; } = "";

        [CommandOption("--watch")]
        [Description("Follow the sweep's progress after submitting (Ctrl-C stops watching, not the sweep).")]
        public bool Watch { get; init; }

        [CommandOption("--idempotency-key <KEY>")]
        [Description("Submitting again with the same key returns the first sweep instead of starting another.")]
        public string? IdempotencyKey { get; init; }

        [CommandOption("--dry-run")]
        [Description("Only validate the spec on the server; nothing is started.")]
        public bool DryRun { get; init; }
    }

    protected override async Task<int> ExecuteAsync(ApiConnection connection, Settings settings, CancellationToken cancellationToken)
    {
        if (!System.IO.File.Exists(settings.File))
        {
            throw new ArgumentException($"FILE: '{settings.File}' does not exist");
        }

        // Cell graphs named by file go into the spec inline; a task that names a file on this machine is uploaded,
        // and the spec sent names the upload instead.
        var read = SpecFile.Read(settings.File);
        if (!read.IsValid)
        {
            throw new ArgumentException($"FILE: '{settings.File}' names cell graph files that cannot be used:\n  {string.Join("\n  ", read.Errors)}");
        }

        var (spec, uploaded) = await DatasetUpload.RewriteSpecAsync(connection, settings.File, read.Text, cancellationToken);
        if (uploaded is not null && !settings.Json)
        {
            AnsiConsole.MarkupLineInterpolated($"uploaded the task's file as [bold]{uploaded.Reference}[/]");
        }

        var response = await connection.Sweeps.SubmitSweepAsync(new SubmitSweepRequest
        {
            SpecYaml = spec,
            IdempotencyKey = settings.IdempotencyKey ?? "",
            ValidateOnly = settings.DryRun,
        }, cancellationToken: cancellationToken);
        if (settings.DryRun)
        {
            if (settings.Json)
            {
                JsonOutput.Write(response);
            }
            else
            {
                AnsiConsole.MarkupLineInterpolated($"{settings.File} is a valid sweep spec");
            }

            return ExitCodes.Ok;
        }

        if (settings.Json && !settings.Watch)
        {
            JsonOutput.Write(response);
            return ExitCodes.Ok;
        }

        if (!settings.Json)
        {
            AnsiConsole.MarkupLineInterpolated($"{(response.Created ? "submitted" : "already submitted")} sweep [bold]{response.Sweep.Name}[/]: {response.Sweep.Id}");
        }

        return settings.Watch
            ? await WatchCommand.FollowAsync(connection, response.Sweep.Id, settings.Json, cancellationToken)
            : ExitCodes.Ok;
    }
}
