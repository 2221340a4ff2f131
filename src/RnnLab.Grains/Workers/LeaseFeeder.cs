using Microsoft.Extensions.Logging;

namespace RnnLab.Grains.Workers;

/// <summary>
/// Keeps leased trials ready for the slots: as many as the <see cref="LeaseAheadPolicy"/> asks, leased from the
/// scheduler as slots free up; trials of sweeps known to be short are started as soon as they are leased.
/// </summary>
internal sealed class LeaseFeeder(
    ISchedulerGrain scheduler,
    WorkerIdentity identity,
    LeasedTrials leased,
    LeaseAheadPolicy policy,
    Func<TrialAssignment, Task<TrialStart?>> start,
    int slots,
    ILogger logger)
{
    private static readonly TimeSpan LeaseWait = TimeSpan.FromSeconds(10);

    public async Task RunAsync(CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            var ahead = policy.TrialsAreShort;
            var want = policy.Target(ahead, slots, leased.IdleSlots) - leased.Count;
            if (want <= 0)
            {
                try
                {
                    await leased.WaitForDemandAsync(TimeSpan.FromMilliseconds(500), stopping);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                continue;
            }

            try
            {
                foreach (var assignment in await scheduler.Lease(identity, want, LeaseWait).WaitAsync(stopping))
                {
                    var startNow = ahead && policy.SweepIsShort(assignment.SweepId);
                    leased.Add(new PreparedTrial(assignment, startNow ? start(assignment) : null));
                }
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (Exception ex)
            {
                logger.LogWarning(ex, "Leasing trials failed; retrying");
                await Task.Delay(TimeSpan.FromMilliseconds(250)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }
}
