using RnnLab.Grains;
using RnnLab.Storage;
using RnnLab.Sweeps.Spec;

namespace RnnLab.Server.Sweeping;

/// <summary>Steers sweeps through their grains; the database row is written first so a retried submit finds it.</summary>
public sealed class GrainSweepControl(IGrainFactory grains, ISweepStore sweeps) : ISweepControl
{
    public async Task<(SweepRecord Sweep, bool Created)> SubmitAsync(SweepSpec spec, string specText, string? idempotencyKey, CancellationToken cancellationToken)
    {
        var (sweep, created) = await sweeps.CreateAsync(new NewSweep(spec.Name, specText, idempotencyKey), cancellationToken);

        // Start is idempotent: a retry after a crash between the insert and the start still starts the sweep.
        await grains.GetGrain<ISweepGrain>(sweep.Id).Start();
        return (await sweeps.GetAsync(sweep.Id, cancellationToken) ?? sweep, created);
    }

    public async Task CancelAsync(Guid sweepId, CancellationToken cancellationToken)
    {
        await RequireUnfinishedAsync(sweepId, "cancelled", cancellationToken);
        await grains.GetGrain<ISweepGrain>(sweepId).Cancel();
    }

    public async Task PauseAsync(Guid sweepId, CancellationToken cancellationToken)
    {
        await RequireUnfinishedAsync(sweepId, "paused", cancellationToken);
        await grains.GetGrain<ISweepGrain>(sweepId).Pause();
    }

    public async Task ResumeAsync(Guid sweepId, CancellationToken cancellationToken)
    {
        await RequireUnfinishedAsync(sweepId, "resumed", cancellationToken);
        await grains.GetGrain<ISweepGrain>(sweepId).Resume();
    }

    private async Task RequireUnfinishedAsync(Guid sweepId, string verb, CancellationToken cancellationToken)
    {
        var sweep = await sweeps.GetAsync(sweepId, cancellationToken) ?? throw new KeyNotFoundException($"sweep '{sweepId}' does not exist");
        if (sweep.State.IsFinal())
        {
            throw new SweepTransitionException($"sweep '{sweepId}' is {sweep.State.ToString().ToLowerInvariant()} and cannot be {verb}");
        }
    }
}
