using System.ComponentModel;
using RnnLab.Contracts.V1;
using Spectre.Console;
using Spectre.Console.Cli;

namespace RnnLab.Cli.Api.Commands;

/// <summary><c>rnnlab analyze ID</c>: leaderboard, per-cell comparison against lstm, fANOVA importance.</summary>
public sealed class AnalyzeCommand : ApiCommand<AnalyzeCommand.Settings>
{
    public sealed class Settings : SweepIdSettings
    {
        [CommandOption("--top <N>")]
        [Description("Rows of the leaderboard (default 10).")]
        [DefaultValue(10)]
        public int Top { get; init; } = 10;

        [CommandOption("--baseline <CELL>")]
        [Description("The cell the others are compared with (default lstm).")]
        [DefaultValue("lstm")]
        public string Baseline { get; init; } = "lstm";
    }

    protected override async Task<int> ExecuteAsync(ApiConnection connection, Settings settings, CancellationToken cancellationToken)
    {
        var analysis = await connection.Sweeps.AnalyzeSweepAsync(
            new AnalyzeSweepRequest { SweepId = settings.SweepId, Top = settings.Top, BaselineCell = settings.Baseline },
            cancellationToken: cancellationToken);
        if (settings.Json)
        {
            JsonOutput.Write(analysis);
        }
        else
        {
            SweepTables.WriteAnalysis(AnsiConsole.Console, analysis);
        }

        return ExitCodes.Ok;
    }
}
