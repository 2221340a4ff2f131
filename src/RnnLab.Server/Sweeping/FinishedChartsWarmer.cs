using RnnLab.Storage;

namespace RnnLab.Server.Sweeping;

/// <summary>
/// Computes a sweep's charts as soon as it finishes, so the first visit to its page does not wait for them (seconds at
/// 100,000 trials). Every <c>Api:ChartWarmInterval</c> (2 s; zero turns it off) it asks the store for the sweeps that
/// finished since a little before its last look, from a minute before this process started.
/// </summary>
internal sealed class FinishedChartsWarmer(ISweepStore sweeps, SweepChartSource charts, IConfiguration configuration,
    TimeProvider clock, ILogger<FinishedChartsWarmer> logger) : BackgroundService
{
    // Looks this far back again each time, so a sweep whose finishing time was written late (or by a silo whose clock
    // is a little behind) is not missed.
    private static readonly TimeSpan Overlap = TimeSpan.FromMinutes(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = configuration.GetValue("Api:ChartWarmInterval", TimeSpan.FromSeconds(2));
        if (interval <= TimeSpan.Zero)
        {
            return;
        }

        using var timer = new PeriodicTimer(interval, clock);
        var since = clock.GetUtcNow().UtcDateTime - Overlap;
        // What was computed in the overlap: a sweep and the time it finished (an extended sweep finishes again later).
        var done = new HashSet<(Guid, DateTime?)>();
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                var looked = clock.GetUtcNow().UtcDateTime;
                var finished = await sweeps.ListFinishedSinceAsync(since, stoppingToken);
                foreach (var sweep in finished.Where(s => !done.Contains((s.Id, s.FinishedAt))))
                {
                    await WarmAsync(sweep, stoppingToken);
                    done.Add((sweep.Id, sweep.FinishedAt));
                }

                since = looked - Overlap;
                done.RemoveWhere(d => d.Item2 < since);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                // The database may be away for a moment; the next tick looks again.
                logger.LogDebug(exception, "looking for finished sweeps failed");
            }
        }
    }

    private async Task WarmAsync(SweepRecord sweep, CancellationToken cancellationToken)
    {
        try
        {
            await charts.GetAsync(sweep, SweepChartSource.DefaultBaseline, cancellationToken);
            logger.LogDebug("charts of finished sweep {SweepId} computed", sweep.Id);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // The first visit computes them instead, and reports what went wrong.
            logger.LogWarning(exception, "computing the charts of finished sweep {SweepId} failed", sweep.Id);
        }
    }
}
