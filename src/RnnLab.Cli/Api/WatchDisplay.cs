using Grpc.Core;
using RnnLab.Contracts.V1;
using Spectre.Console;

namespace RnnLab.Cli.Api;

/// <summary>Shows a sweep's progress live: a progress bar over its trials and a line per finished trial.</summary>
public static class WatchDisplay
{
    private static readonly TimeSpan RefreshInterval = TimeSpan.FromSeconds(1);

    /// <summary>Watches until the sweep finishes or <paramref name="cancellationToken"/> fires; returns the sweep as last seen.</summary>
    /// <param name="mode">Tables and a progress bar, JSON lines per event, or nothing.</param>
    public static async Task<Sweep> RunAsync(SweepService.SweepServiceClient client, string sweepId, WatchOutput mode, CancellationToken cancellationToken)
    {
        var start = await client.GetSweepAsync(new GetSweepRequest { SweepId = sweepId }, cancellationToken: cancellationToken);
        var watcher = new SweepWatcher(client);
        switch (mode)
        {
            case WatchOutput.Quiet:
                return await watcher.WatchAsync(sweepId, start.LastEvent, _ => { }, _ => { }, cancellationToken);
            case WatchOutput.JsonLines:
                return await watcher.WatchAsync(
                    sweepId, start.LastEvent,
                    snapshot => JsonOutput.Write(new WatchSweepResponse { Snapshot = snapshot }),
                    item => JsonOutput.Write(new WatchSweepResponse { Event = item }),
                    cancellationToken);
        }

        var latest = start;
        await AnsiConsole.Progress()
            .AutoClear(false)
            .HideCompleted(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .StartAsync(async progress =>
            {
                var task = progress.AddTask(Describe(start), maxValue: Math.Max(1, start.Budget));
                using var refreshing = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                var refresher = RefreshAsync(client, sweepId, sweep => Update(task, latest = sweep), refreshing.Token);
                try
                {
                    latest = await watcher.WatchAsync(
                        sweepId, start.LastEvent,
                        snapshot => Update(task, latest = snapshot.Sweep),
                        item => PrintEvent(item, start.Objective),
                        cancellationToken);
                    Update(task, latest);
                }
                finally
                {
                    await refreshing.CancelAsync();
                    await refresher;
                }
            });
        AnsiConsole.MarkupLineInterpolated($"sweep [bold]{latest.Name}[/] {SweepTables.State(latest.State)}: {SweepTables.Counts(latest)}");
        return latest;
    }

    private static async Task RefreshAsync(SweepService.SweepServiceClient client, string sweepId, Action<Sweep> update, CancellationToken cancellationToken)
    {
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                await Task.Delay(RefreshInterval, cancellationToken);
                update(await client.GetSweepAsync(new GetSweepRequest { SweepId = sweepId }, cancellationToken: cancellationToken));
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (RpcException)
        {
            // The watch stream reports a lost server; the bar just stops moving meanwhile.
        }
    }

    private static void Update(ProgressTask task, Sweep sweep)
    {
        var c = sweep.Trials;
        task.MaxValue = Math.Max(1, Math.Max(sweep.Budget, c.Total));
        task.Value = c.Completed + c.Pruned + c.Diverged + c.Failed + c.Cancelled;
        task.Description = Describe(sweep);
    }

    private static string Describe(Sweep sweep)
    {
        var best = sweep.HasBestObjective ? $", best {Markup.Escape(sweep.Objective)} {SweepTables.Number(sweep.BestObjective)}" : "";
        return $"[bold]{Markup.Escape(sweep.Name)}[/] {SweepTables.State(sweep.State)}: {sweep.Trials.Running} running{best}";
    }

    private static void PrintEvent(SweepEvent item, string objective)
    {
        if (item.TrialState is TrialState.Completed or TrialState.Pruned or TrialState.Diverged or TrialState.Failed)
        {
            var value = item.HasValue ? $" {objective} {SweepTables.Number(item.Value)}" : "";
            AnsiConsole.MarkupLineInterpolated($"[grey]#{item.Sequence}[/] trial {item.TrialNumber} {SweepTables.State(item.TrialState)}{value}");
        }
        else if (item.SweepState != SweepState.Unspecified)
        {
            AnsiConsole.MarkupLineInterpolated($"[grey]#{item.Sequence}[/] sweep {SweepTables.State(item.SweepState)}");
        }
    }
}

/// <summary>How a watch shows progress.</summary>
public enum WatchOutput
{
    Live,
    JsonLines,
    Quiet,
}
