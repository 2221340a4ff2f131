using RnnLab.Sweeps.Trials;
using RnnLab.Grains;
using RnnLab.Grains.Workers;
using RnnLab.Storage;

namespace RnnLab.Server.Telemetry;

/// <summary>Refreshes the observed RnnLab instruments from the scheduler and the database every few seconds.</summary>
internal sealed class MetricsPoller(
    RnnLabMetrics metrics,
    IGrainFactory grains,
    ISweepStore sweeps,
    ITrialStore trials,
    OrchestrationOptions orchestration,
    IServiceProvider services,
    IConfiguration configuration,
    ILogger<MetricsPoller> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = configuration.GetValue("Telemetry:PollInterval", TimeSpan.FromSeconds(5));
        using var timer = new PeriodicTimer(interval);
        do
        {
            try
            {
                metrics.Update(await PollAsync(stoppingToken));
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                // The silo may still be starting; the next tick tries again.
                logger.LogDebug(exception, "metrics poll failed");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    private async Task<PlatformSnapshot> PollAsync(CancellationToken cancellationToken)
    {
        var slots = orchestration.Role is SiloRole.All or SiloRole.Worker ? orchestration.EffectiveSlots : 0;
        var busy = services.GetService<SlotUsage>()?.Busy.TotalSeconds ?? 0;
        if (orchestration.Role == SiloRole.Worker)
        {
            return new PlatformSnapshot(new Dictionary<string, long>(), 0, 0, slots, busy);
        }

        var stats = await grains.GetGrain<ISchedulerGrain>(0).GetStats();
        var byState = Enum.GetValues<TrialState>().ToDictionary(s => s.ToString().ToLowerInvariant(), _ => 0L);
        var unfinished = await sweeps.ListUnfinishedAsync(cancellationToken);
        foreach (var tally in (await trials.TallyAsync(unfinished.Select(s => s.Id).ToList(), cancellationToken)).Values)
        {
            foreach (var (state, count) in tally.ByState)
            {
                byState[state.ToString().ToLowerInvariant()] += count;
            }
        }

        return new PlatformSnapshot(byState, byState["running"], stats.Queued, slots, busy);
    }
}
