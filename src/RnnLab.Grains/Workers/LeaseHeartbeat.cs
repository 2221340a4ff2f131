using Microsoft.Extensions.Logging;

namespace RnnLab.Grains.Workers;

/// <summary>
/// Renews the leases of the worker's trials every third of a lease period, those running and those leased ahead
/// and waiting, and acts on the answer: a running trial the scheduler wants stopped is cancelled, a waiting one is
/// skipped by the slot that takes it.
/// </summary>
internal sealed class LeaseHeartbeat(
    ISchedulerGrain scheduler,
    WorkerIdentity identity,
    RunningTrials running,
    LeasedTrials leased,
    TimeSpan leaseDuration,
    ILogger logger)
{
    public async Task RunAsync(CancellationToken stopping)
    {
        using var timer = new PeriodicTimer(leaseDuration / 3);
        try
        {
            while (await timer.WaitForNextTickAsync(stopping))
            {
                await BeatAsync();
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task BeatAsync()
    {
        // Leases taken ahead are renewed too, so a trial waiting behind a long one is not taken back.
        var waiting = leased.WaitingUnstarted();
        var ids = running.Ids.Concat(waiting).Distinct().ToList();
        if (ids.Count == 0)
        {
            return;
        }

        try
        {
            foreach (var id in await scheduler.Heartbeat(identity, ids))
            {
                if (running.TryGet(id, out var run))
                {
                    await run.CancelAsync();
                }
                else if (waiting.Contains(id))
                {
                    leased.Revoke(id);
                }
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException and not ObjectDisposedException)
        {
            logger.LogWarning(ex, "Heartbeat failed");
        }
        catch (ObjectDisposedException)
        {
            // The trial ended between the snapshot and the answer.
        }
    }
}
