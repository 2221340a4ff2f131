using System.ComponentModel;
using RnnLab.Contracts.V1;
using Spectre.Console;
using Spectre.Console.Cli;

namespace RnnLab.Cli.Api.Commands;

/// <summary><c>rnnlab ls</c>: the server's sweeps, newest first.</summary>
public sealed class ListSweepsCommand : ApiCommand<ListSweepsCommand.Settings>
{
    public sealed class Settings : ApiSettings
    {
        [CommandOption("--state <STATE>")]
        [Description("Only sweeps in this state: running, paused, completed, cancelled, failed (repeatable).")]
        public string[] States { get; init; } = [];

        [CommandOption("--limit <N>")]
        [Description("At most this many sweeps (default 50).")]
        [DefaultValue(50)]
        public int Limit { get; init; } = 50;
    }

    protected override async Task<int> ExecuteAsync(ApiConnection connection, Settings settings, CancellationToken cancellationToken)
    {
        var request = new ListSweepsRequest { PageSize = Math.Min(settings.Limit, 1000) };
        foreach (var state in settings.States)
        {
            request.States.Add(Enum.TryParse<SweepState>(state, true, out var parsed) && parsed != SweepState.Unspecified
                ? parsed
                : throw new ArgumentException($"--state: '{state}' is not a sweep state"));
        }

        var sweeps = new List<Sweep>();
        do
        {
            var page = await connection.Sweeps.ListSweepsAsync(request, cancellationToken: cancellationToken);
            sweeps.AddRange(page.Sweeps);
            request.PageToken = page.NextPageToken;
        }
        while (request.PageToken.Length > 0 && sweeps.Count < settings.Limit);

        if (settings.Json)
        {
            var response = new ListSweepsResponse();
            response.Sweeps.AddRange(sweeps.Take(settings.Limit));
            JsonOutput.Write(response);
        }
        else
        {
            AnsiConsole.Write(SweepTables.Sweeps(sweeps.Take(settings.Limit)));
        }

        return ExitCodes.Ok;
    }
}
