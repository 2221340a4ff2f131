using RnnLab.Sweeps.Trials;
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

    /// <summary>Adds trials to a sweep, reopening it when it finished.</summary>
    Task ExtendAsync(Guid sweepId, int additionalTrials, CancellationToken cancellationToken);

    /// <summary>Queues the sweep's trials in the given states again; returns how many.</summary>
    Task<int> RetryAsync(Guid sweepId, IReadOnlyList<TrialState> states, CancellationToken cancellationToken);

    /// <summary>Stops one trial; throws <see cref="SweepTransitionException"/> when it already finished.</summary>
    Task StopTrialAsync(Guid sweepId, int number, bool prune, CancellationToken cancellationToken);
}

/// <summary>A sweep cannot make the requested move from its current state (e.g. resuming a finished sweep).</summary>
public sealed class SweepTransitionException(string message) : Exception(message);
