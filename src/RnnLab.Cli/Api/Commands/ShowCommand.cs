using RnnLab.Contracts.V1;
using Spectre.Console;

namespace RnnLab.Cli.Api.Commands;

/// <summary><c>rnnlab show ID</c>: one sweep's state and trial counts.</summary>
public sealed class ShowCommand : ApiCommand<SweepIdSettings>
{
    protected override async Task<int> ExecuteAsync(ApiConnection connection, SweepIdSettings settings, CancellationToken cancellationToken)
    {
        var sweep = await connection.Sweeps.GetSweepAsync(new GetSweepRequest { SweepId = settings.SweepId }, cancellationToken: cancellationToken);
        if (settings.Json)
        {
            JsonOutput.Write(sweep);
        }
        else
        {
            AnsiConsole.Write(SweepTables.Sweep(sweep));
        }

        return ExitCodes.Ok;
    }
}
