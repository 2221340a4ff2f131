namespace RnnLab.Grains.Tests;

/// <summary>Waits on observable conditions with a deadline instead of sleeping.</summary>
public static class Waits
{
    public static async Task<T> UntilAsync<T>(Func<Task<T>> probe, Func<T, bool> done, TimeSpan timeout, string what)
    {
        using var deadline = new CancellationTokenSource(timeout);
        using var tick = new PeriodicTimer(TimeSpan.FromMilliseconds(50));
        while (true)
        {
            var value = await probe();
            if (done(value))
            {
                return value;
            }

            try
            {
                await tick.WaitForNextTickAsync(deadline.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"Timed out after {timeout} waiting for {what}; last: {value}");
            }
        }
    }

    /// <summary>Collects a sweep's events until one matches, failing after the timeout.</summary>
    public static async Task<List<SweepEvent>> WatchUntilAsync(SweepClient client, Guid sweepId, Func<SweepEvent, bool> stop,
        TimeSpan timeout, long after = 0)
    {
        using var deadline = new CancellationTokenSource(timeout);
        var seen = new List<SweepEvent>();
        try
        {
            await foreach (var e in client.WatchAsync(sweepId, after, deadline.Token))
            {
                seen.Add(e);
                if (stop(e))
                {
                    return seen;
                }
            }
        }
        catch (OperationCanceledException)
        {
        }

        throw new TimeoutException($"Timed out after {timeout}; saw {seen.Count} events, last {seen.LastOrDefault()}");
    }
}
