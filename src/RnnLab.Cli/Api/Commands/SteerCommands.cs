using RnnLab.Contracts.V1;
using Spectre.Console;

namespace RnnLab.Cli.Api.Commands;

/// <summary>Base of cancel, pause and resume: one call, then the sweep's new state.</summary>
public abstract class SteerCommand : ApiCommand<SweepIdSettings>
{
    protected abstract Task<Sweep> SteerAsync(SweepService.SweepServiceClient client, SweepActionRequest request, CancellationToken cancellationToken);

    protected override async Task<int> ExecuteAsync(ApiConnection connection, SweepIdSettings settings, CancellationToken cancellationToken)
    {
        var sweep = await SteerAsync(connection.Sweeps, new SweepActionRequest { SweepId = settings.SweepId }, cancellationToken);
        if (settings.Json)
        {
            JsonOutput.Write(sweep);
        }
        else
        {
            AnsiConsole.MarkupLineInterpolated($"sweep [bold]{sweep.Name}[/] is {SweepTables.State(sweep.State)}");
        }

        return ExitCodes.Ok;
    }
}

/// <summary><c>rnnlab cancel ID</c>: stops every trial of a sweep.</summary>
public sealed class CancelCommand : SteerCommand
{
    protected override async Task<Sweep> SteerAsync(SweepService.SweepServiceClient client, SweepActionRequest request, CancellationToken cancellationToken) =>
        await client.CancelSweepAsync(request, cancellationToken: cancellationToken);
}

/// <summary><c>rnnlab pause ID</c>: starts no new trial until resumed.</summary>
public sealed class PauseCommand : SteerCommand
{
    protected override async Task<Sweep> SteerAsync(SweepService.SweepServiceClient client, SweepActionRequest request, CancellationToken cancellationToken) =>
        await client.PauseSweepAsync(request, cancellationToken: cancellationToken);
}

/// <summary><c>rnnlab resume ID</c>: lets a paused sweep go on.</summary>
public sealed class ResumeCommand : SteerCommand
{
    protected override async Task<Sweep> SteerAsync(SweepService.SweepServiceClient client, SweepActionRequest request, CancellationToken cancellationToken) =>
        await client.ResumeSweepAsync(request, cancellationToken: cancellationToken);
}
