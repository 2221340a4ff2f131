using RnnLab.Storage;
using RnnLab.Sweeps.Spec;

namespace RnnLab.Server.Sweeping;

/// <summary>The mutating side of the API: starts and steers sweeps in the cluster.</summary>
public interface ISweepControl
{
    /// <summary>Creates and starts a sweep, or returns the earlier one with the same idempotency key.</summary>
    Task<(SweepRecord Sweep, bool Created)> SubmitAsync(SweepSpec spec, string specText, string? idempotencyKey, CancellationToken cancellationToken);

    /// <summary>Cancels a sweep; throws <see cref="SweepTransitionException"/> when it already finished.</summary>
    Task CancelAsync(Guid sweepId, CancellationToken cancellationToken);

    Task PauseAsync(Guid sweepId, CancellationToken cancellationToken);

    Task ResumeAsync(Guid sweepId, CancellationToken cancellationToken);
}

/// <summary>A sweep cannot make the requested move from its current state (e.g. resuming a finished sweep).</summary>
public sealed class SweepTransitionException(string message) : Exception(message);
