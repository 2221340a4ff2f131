using System.ComponentModel;
using RnnLab.Contracts.V1;
using Spectre.Console;
using Spectre.Console.Cli;

namespace RnnLab.Cli.Api.Commands;

/// <summary><c>rnnlab extend ID --trials N</c>: more trials for a sweep, reopening it when it finished.</summary>
public sealed class ExtendCommand : ApiCommand<ExtendCommand.Settings>
{
    public sealed class Settings : SweepIdSettings
    {
        [CommandOption("--trials <N>")]
        [Description("Trials to add.")]
        public int Trials { get; init; }

        [CommandOption("--per-stratum <N>")]
        [Description("Trials to add to every stratum of a stratified sweep (instead of --trials).")]
        public int PerStratum { get; init; }
    }

    protected override async Task<int> ExecuteAsync(ApiConnection connection, Settings settings, CancellationToken cancellationToken)
    {
        var sweep = await connection.Sweeps.ExtendSweepAsync(
            new ExtendSweepRequest { SweepId = settings.SweepId, Trials = settings.Trials, TrialsPerStratum = settings.PerStratum },
            cancellationToken: cancellationToken);
        if (settings.Json)
        {
            JsonOutput.Write(sweep);
        }
        else
        {
            AnsiConsole.MarkupLineInterpolated($"sweep [bold]{sweep.Name}[/] is {SweepTables.State(sweep.State)} with a budget of {sweep.Budget} trials");
        }

        return ExitCodes.Ok;
    }
}

/// <summary><c>rnnlab retry ID [--states failed,cancelled]</c>: runs a sweep's failed trials again.</summary>
public sealed class RetryCommand : ApiCommand<RetryCommand.Settings>
{
    public sealed class Settings : SweepIdSettings
    {
        [CommandOption("--states <STATES>")]
        [Description("Comma-separated trial states to retry: failed (default), diverged, cancelled, pruned.")]
        public string States { get; init; } = "failed";
    }

    protected override async Task<int> ExecuteAsync(ApiConnection connection, Settings settings, CancellationToken cancellationToken)
    {
        var request = new RetryTrialsRequest { SweepId = settings.SweepId };
        foreach (var name in settings.States.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            request.States.Add(name.ToLowerInvariant() switch
            {
                "failed" => TrialState.Failed,
                "diverged" => TrialState.Diverged,
                "cancelled" => TrialState.Cancelled,
                "pruned" => TrialState.Pruned,
                _ => throw new ArgumentException($"--states: '{name}' is not one of failed, diverged, cancelled, pruned"),
            });
        }

        var response = await connection.Sweeps.RetryTrialsAsync(request, cancellationToken: cancellationToken);
        if (settings.Json)
        {
            JsonOutput.Write(response);
        }
        else
        {
            AnsiConsole.MarkupLineInterpolated($"{response.Retried} trial(s) of sweep [bold]{response.Sweep.Name}[/] queued again; it is {SweepTables.State(response.Sweep.State)}");
        }

        return ExitCodes.Ok;
    }
}

/// <summary><c>rnnlab stop TRIAL_ID [--prune]</c>: ends one trial, leaving its sweep running.</summary>
public sealed class StopCommand : ApiCommand<StopCommand.Settings>
{
    public sealed class Settings : ApiSettings
    {
        [CommandArgument(0, "<TRIAL_ID>")]
        [Description("The trial's id (as printed by rnnlab trials).")]
        public string TrialId { get; init; } = "";

        [CommandOption("--prune")]
        [Description("End it as pruned instead of cancelled.")]
        public bool Prune { get; init; }
    }

    protected override async Task<int> ExecuteAsync(ApiConnection connection, Settings settings, CancellationToken cancellationToken)
    {
        var trial = await connection.Sweeps.StopTrialAsync(new StopTrialRequest { TrialId = settings.TrialId, Prune = settings.Prune },
            cancellationToken: cancellationToken);
        if (settings.Json)
        {
            JsonOutput.Write(trial);
        }
        else
        {
            AnsiConsole.MarkupLineInterpolated($"trial {trial.Number} is stopping (now {trial.State.ToString().Replace("TrialState", "", StringComparison.Ordinal).ToLowerInvariant()}); a running trial ends after its current epoch");
        }

        return ExitCodes.Ok;
    }
}
