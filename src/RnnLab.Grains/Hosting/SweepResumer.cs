using Microsoft.Extensions.Logging;
using Orleans.Runtime;
using RnnLab.Storage;

namespace RnnLab.Grains.Hosting;

/// <summary>When the silo is up, wakes every unfinished sweep so a restarted host carries on where it stopped.</summary>
internal sealed class SweepResumer(ISweepStore sweeps, IGrainFactory grains, ILogger<SweepResumer> logger)
    : ILifecycleParticipant<ISiloLifecycle>
{
    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(SweepResumer), ServiceLifecycleStage.Active, ResumeAsync, _ => Task.CompletedTask);

    private async Task ResumeAsync(CancellationToken cancellationToken)
    {
        // Waking the scheduler re-adopts queued and running trials from the database.
        await grains.GetGrain<ISchedulerGrain>(0).GetStats();
        foreach (var sweep in await sweeps.ListUnfinishedAsync(cancellationToken))
        {
            try
            {
                await grains.GetGrain<ISweepGrain>(sweep.Id).Start();
                logger.LogInformation("Resumed sweep {SweepId} ({Name})", sweep.Id, sweep.Name);
            }
            catch (Exception ex)
            {
                logger.LogError(ex, "Sweep {SweepId} could not be resumed", sweep.Id);
            }
        }
    }
}
