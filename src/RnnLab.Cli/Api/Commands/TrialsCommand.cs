using System.ComponentModel;
using RnnLab.Contracts.V1;
using Spectre.Console;
using Spectre.Console.Cli;

namespace RnnLab.Cli.Api.Commands;

/// <summary><c>rnnlab trials ID</c>: a sweep's trials, filtered and ordered.</summary>
public sealed class TrialsCommand : ApiCommand<TrialsCommand.Settings>
{
    public sealed class Settings : SweepIdSettings
    {
        [CommandOption("--state <STATE>")]
        [Description("Only trials in this state: pending, running, completed, pruned, diverged, failed, cancelled (repeatable).")]
        public string[] States { get; init; } = [];

        [CommandOption("--cell <CELL>")]
        [Description("Only trials of this cell, e.g. lstm (repeatable).")]
        public string[] Cells { get; init; } = [];

        [CommandOption("--order <ORDER>")]
        [Description("number (default), objective (best first) or -objective.")]
        public string Order { get; init; } = "number";

        [CommandOption("--limit <N>")]
        [Description("At most this many trials (default 100).")]
        [DefaultValue(100)]
        public int Limit { get; init; } = 100;
    }

    protected override async Task<int> ExecuteAsync(ApiConnection connection, Settings settings, CancellationToken cancellationToken)
    {
        var request = new ListTrialsRequest { SweepId = settings.SweepId, OrderBy = settings.Order, PageSize = Math.Clamp(settings.Limit, 1, 1000) };
        request.Cells.AddRange(settings.Cells);
        foreach (var state in settings.States)
        {
            request.States.Add(Enum.TryParse<TrialState>(state, true, out var parsed) && parsed != TrialState.Unspecified
                ? parsed
                : throw new ArgumentException($"--state: '{state}' is not a trial state"));
        }

        var response = new ListTrialsResponse();
        do
        {
            var page = await connection.Sweeps.ListTrialsAsync(request, cancellationToken: cancellationToken);
            response.Trials.AddRange(page.Trials);
            response.Total = page.Total;
            request.PageToken = page.NextPageToken;
        }
        while (request.PageToken.Length > 0 && response.Trials.Count < settings.Limit);

        if (settings.Json)
        {
            JsonOutput.Write(response);
            return ExitCodes.Ok;
        }

        var sweep = await connection.Sweeps.GetSweepAsync(new GetSweepRequest { SweepId = settings.SweepId }, cancellationToken: cancellationToken);
        AnsiConsole.Write(SweepTables.Trials(response.Trials.Take(settings.Limit), sweep.Objective));
        AnsiConsole.MarkupLineInterpolated($"[grey]{Math.Min(settings.Limit, response.Trials.Count)} of {response.Total} trials[/]");
        return ExitCodes.Ok;
    }
}
