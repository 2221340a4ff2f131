using Orleans.Runtime;
using Microsoft.Extensions.Logging;

namespace RnnLab.Grains.Workers;

/// <summary>
/// The worker's retry policy for grain calls: a call is retried while the cluster heals (a grain's silo died and
/// it is being re-activated elsewhere), with a growing pause, and given up when the worker stops. A report that
/// may fail (the lease then expires and the scheduler requeues the trial) is only logged.
/// </summary>
internal sealed class ClusterCalls(CancellationToken stopping, ILogger logger)
{
    private const int MaxRetries = 30;

    public async Task<T> CallAsync<T>(Func<Task<T>> call)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return await call();
            }
            catch (Exception ex) when (ex is OrleansException or TimeoutException && attempt < MaxRetries && !stopping.IsCancellationRequested)
            {
                logger.LogDebug(ex, "Grain call failed; retrying");
                await Task.Delay(Pause(attempt), stopping).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }

    /// <summary>The pause before retry number <paramref name="attempt"/> + 1: 100 ms more each time, at most a second.</summary>
    public static TimeSpan Pause(int attempt) => TimeSpan.FromMilliseconds(Math.Min(1000, 100 * (attempt + 1)));

    /// <summary>A call on a slot's thread, retried as <see cref="CallAsync{T}"/>.</summary>
    public T Call<T>(Func<Task<T>> call) => SlotWait.Block(CallAsync(call));

    public void Call(Func<Task> call) => Call(async () =>
    {
        await call();
        return true;
    });

    public async Task TryReportAsync(Func<Task> report)
    {
        try
        {
            await report();
        }
        catch (Exception ex)
        {
            // The lease will expire and the scheduler requeues the trial.
            logger.LogWarning(ex, "Reporting to a trial grain failed");
        }
    }

    public void TryReport(Func<Task> report) => SlotWait.Block(TryReportAsync(report));
}
