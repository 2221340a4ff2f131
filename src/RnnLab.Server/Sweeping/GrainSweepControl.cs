using RnnLab.Sweeps.Trials;
using RnnLab.Grains;
using RnnLab.Storage;
using RnnLab.Sweeps.Spec;

namespace RnnLab.Server.Sweeping;

/// <summary>Steers sweeps through the platform's <see cref="SweepClient"/>, refusing moves a finished sweep cannot make.</summary>
public sealed class GrainSweepControl(SweepClient client, ISweepStore sweeps) : ISweepControl
{
    public async Task<(SweepRecord Sweep, bool Created)> SubmitAsync(SweepSpec spec, string specText, string? idempotencyKey, CancellationToken cancellationToken)
    {
        var submitted = await client.SubmitAsync(specText, idempotencyKey, cancellationToken);
        var record = await sweeps.GetAsync(submitted.SweepId, cancellationToken)
            ?? throw new InvalidOperationException($"sweep {submitted.SweepId} was submitted but is not stored");
        return (record, submitted.Created);
    }

    public async Task CancelAsync(Guid sweepId, CancellationToken cancellationToken)
    {
        await RequireUnfinishedAsync(sweepId, "cancelled", cancellationToken);
        await client.CancelAsync(sweepId);
    }

    public async Task PauseAsync(Guid sweepId, CancellationToken cancellationToken)
    {
        await RequireUnfinishedAsync(sweepId, "paused", cancellationToken);
        await client.PauseAsync(sweepId);
    }

    public async Task ResumeAsync(Guid sweepId, CancellationToken cancellationToken)
    {
        await RequireUnfinishedAsync(sweepId, "resumed", cancellationToken);
        await client.ResumeAsync(sweepId);
    }

    public async Task ExtendAsync(Guid sweepId, int additionalTrials, CancellationToken cancellationToken) =>
        await client.ExtendAsync(sweepId, additionalTrials);

    public async Task<int> RetryAsync(Guid sweepId, IReadOnlyList<TrialState> states, CancellationToken cancellationToken) =>
        await client.RetryAsync(sweepId, states);

    public async Task StopTrialAsync(Guid sweepId, int number, bool prune, CancellationToken cancellationToken)
    {
        if (!await client.StopTrialAsync(sweepId, number, prune))
        {
            throw new SweepTransitionException($"trial {number} of sweep '{sweepId}' already finished");
        }
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
