using Grpc.Core;

namespace RnnLab.Contracts.Watching;

/// <summary>How a <see cref="SweepWatchClient"/> calls the server and how patiently it reconnects.</summary>
public sealed record SweepWatchOptions
{
    /// <summary>The waits before successive reconnects; the last one repeats.</summary>
    public IReadOnlyList<TimeSpan> Backoff { get; init; } =
        [TimeSpan.FromMilliseconds(250), TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2)];

    /// <summary>Failures in a row after which the watch gives up and throws the last one; null never gives up.</summary>
    public int? MaxAttempts { get; init; }

    /// <summary>The options of every call (headers, for instance), cancelled by the token given.</summary>
    public Func<CancellationToken, CallOptions> CallOptions { get; init; } = token => new CallOptions(cancellationToken: token);

    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}
