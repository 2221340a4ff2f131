using Spectre.Console;

namespace RnnLab.Cli.Api.Commands;

/// <summary><c>rnnlab watch ID</c>: live progress of a sweep; Ctrl-C stops watching and leaves the sweep running.</summary>
public sealed class WatchCommand : ApiCommand<SweepIdSettings>
{
    protected override Task<int> ExecuteAsync(ApiConnection connection, SweepIdSettings settings, CancellationToken cancellationToken) =>
        FollowAsync(connection, settings.SweepId, settings.Json, cancellationToken);

    internal static async Task<int> FollowAsync(ApiConnection connection, string sweepId, bool json, CancellationToken cancellationToken)
    {
        using var ctrlC = new CtrlC(cancellationToken);
        try
        {
            var sweep = await WatchDisplay.RunAsync(connection.Sweeps, sweepId, json ? WatchOutput.JsonLines : WatchOutput.Live, ctrlC.Token);
            if (json)
            {
                JsonOutput.Write(sweep);
            }

            return sweep.State == Contracts.V1.SweepState.Completed ? ExitCodes.Ok : ExitCodes.SweepNotCompleted;
        }
        catch (Exception exception) when (ctrlC.Pressed && exception is OperationCanceledException or Grpc.Core.RpcException { StatusCode: Grpc.Core.StatusCode.Cancelled })
        {
            if (!json)
            {
                AnsiConsole.MarkupLineInterpolated($"stopped watching; the sweep keeps running (rnnlab watch {sweepId})");
            }

            return ExitCodes.Interrupted;
        }
    }
}
