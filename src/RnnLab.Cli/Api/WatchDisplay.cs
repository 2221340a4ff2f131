using RnnLab.Contracts.V1;
using RnnLab.Contracts.Watching;
using Spectre.Console;

namespace RnnLab.Cli.Api;

/// <summary>Shows a sweep's progress live: a progress bar over its trials and a line per finished trial.</summary>
public static class WatchDisplay
{
    /// <summary>Failures in a row after which a watch gives up (about 40 s without the server).</summary>
    private const int MaxReconnects = 20;

    /// <summary>Watches until the sweep finishes or <paramref name="cancellationToken"/> fires; returns the sweep as last seen.</summary>
    /// <param name="mode">Tables and a progress bar, JSON lines per event, or nothing.</param>
    public static async Task<Sweep> RunAsync(SweepService.SweepServiceClient client, string sweepId, WatchOutput mode, CancellationToken cancellationToken)
    {
        var start = LiveSweep.Start(await client.GetSweepAsync(new GetSweepRequest { SweepId = sweepId }, cancellationToken: cancellationToken));
        var watch = new SweepWatchClient(client, new SweepWatchOptions { MaxAttempts = MaxReconnects });
        switch (mode)
        {
            case WatchOutput.Quiet:
                return await watch.FollowAsync(sweepId, start.LastEvent, _ => { }, cancellationToken);
            case WatchOutput.JsonLines:
                return await watch.FollowAsync(sweepId, start.LastEvent, WriteJson, cancellationToken);
        }

        var latest = start;
        await AnsiConsole.Progress()
            .AutoClear(false)
            .HideCompleted(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .StartAsync(async progress =>
            {
                var task = progress.AddTask(Describe(start), maxValue: Math.Max(1, start.Sweep.Budget));
                latest = await watch.FollowAsync(start, (update, view) =>
                {
                    if (update is WatchUpdate.EventRead read)
                    {
                        PrintEvent(read.Event, start.Sweep.Objective);
                    }

                    Update(task, view);
                }, cancellationToken);
            });
        AnsiConsole.MarkupLineInterpolated($"sweep [bold]{latest.Sweep.Name}[/] {SweepTables.State(latest.Sweep.State)}: {SweepTables.Counts(latest.Sweep)}");
        return latest.Sweep;
    }

    private static void WriteJson(WatchUpdate update)
    {
        switch (update)
        {
            case WatchUpdate.SnapshotRead read:
                JsonOutput.Write(new WatchSweepResponse { Snapshot = read.Snapshot });
                break;
            case WatchUpdate.EventRead read:
                JsonOutput.Write(new WatchSweepResponse { Event = read.Event });
                break;
        }
    }

    private static void Update(ProgressTask task, LiveSweep view)
    {
        var counts = view.Counts;
        task.MaxValue = Math.Max(1, Math.Max(view.Sweep.Budget, counts.Total));
        task.Value = view.Finished;
        task.Description = Describe(view);
    }

    private static string Describe(LiveSweep view)
    {
        var sweep = view.Sweep;
        double? best = view.Best?.Objective ?? (sweep.HasBestObjective ? sweep.BestObjective : null);
        var shown = best is { } value ? $", best {Markup.Escape(sweep.Objective)} {SweepTables.Number(value)}" : "";
        return $"[bold]{Markup.Escape(sweep.Name)}[/] {SweepTables.State(sweep.State)}: {view.Counts.Running} running{shown}";
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
