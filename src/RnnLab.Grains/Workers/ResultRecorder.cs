using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace RnnLab.Grains.Workers;

/// <summary>
/// Records attempts' results in the background while their slots move on; the lease stays renewed until the result
/// is recorded. Beyond <see cref="MaxRecording"/> results in flight a slot waits, so a slow database pushes back.
/// </summary>
internal sealed class ResultRecorder(RunningTrials running, ClusterCalls calls, string workerId, ILogger logger)
{
    public const int MaxRecording = 256;

    private readonly SemaphoreSlim _room = new(MaxRecording, MaxRecording);
    private readonly ConcurrentDictionary<Task, bool> _pending = new();

    /// <summary>Records the result of one run; the run is forgotten once it is recorded (or handed back).</summary>
    public void Record(ITrialGrain trial, AttemptResult result, CancellationTokenSource run)
    {
        _room.Wait();
        var trialId = trial.GetPrimaryKey();
        var task = Task.Run(async () =>
        {
            try
            {
                await calls.CallAsync(() => trial.Finish(result));
            }
            catch (Exception ex)
            {
                logger.LogWarning(ex, "Recording the result of trial {TrialId} failed", trialId);
                await calls.TryReportAsync(() => trial.Abandon(workerId, $"worker {workerId}: {ex.Message}"));
            }
            finally
            {
                running.Forget(trialId, run);
                _room.Release();
            }
        });
        _pending[task] = true;
        task.ContinueWith(t => _pending.TryRemove(t, out _), TaskScheduler.Default);
    }

    /// <summary>Waits up to <paramref name="timeout"/> for the results in flight: computed results are worth recording.</summary>
    public async Task DrainAsync(TimeSpan timeout) =>
        await Task.WhenAll(_pending.Keys).WaitAsync(timeout, CancellationToken.None).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
}
