using Microsoft.Extensions.Logging;
using RnnLab.Grains.Execution;
using RnnLab.Storage;
using TrialState = RnnLab.Sweeps.Trials.TrialState;

namespace RnnLab.Grains.Workers;

/// <summary>
/// Runs one attempt of a trial on a slot's thread: waits for its start, reads its checkpoint, runs it through its
/// executor reporting every epoch and saving checkpoints, and hands the result to the <see cref="ResultRecorder"/>.
/// A throw of the trial's own code counts against its retries; a failure of the platform hands the trial back.
/// </summary>
internal sealed class AttemptRunner(
    IGrainFactory grains,
    ICheckpointStore checkpoints,
    TrialExecutorCatalog executors,
    RunningTrials running,
    ResultRecorder recorder,
    ClusterCalls calls,
    string workerId,
    CancellationToken stopping,
    ILogger logger)
{
    private ISchedulerGrain Scheduler => grains.GetGrain<ISchedulerGrain>(0);

    public void Run(PreparedTrial prepared)
    {
        var assignment = prepared.Assignment;
        var trial = grains.GetGrain<ITrialGrain>(assignment.TrialId);
        var cts = running.Current(assignment.TrialId);
        TrialStart? start = null;
        var platformFailed = false;
        var recording = false;
        try
        {
            try
            {
                start = SlotWait.Block(prepared.Start!);
            }
            catch
            {
                platformFailed = true;
                throw;
            }

            if (start is null)
            {
                calls.Call(() => Scheduler.Release(assignment.TrialId, workerId));
                return;
            }

            // Reading the checkpoint is the platform's work: a database restart here is not the trial's failure.
            var checkpoint = start.ResumeFromEpoch is null
                ? null
                : Platform(ref platformFailed, () => SlotWait.Block(checkpoints.GetLatestAsync(start.TrialId)))?.Bytes;
            var attempt = start.Attempt;
            var trialId = start.TrialId;
            AttemptEpoch? lastEpoch = null;
            var execution = new TrialExecution(
                start,
                checkpoint,
                (epoch, metrics, last) =>
                {
                    if (last)
                    {
                        // Nothing follows it: it goes with the result, one call instead of two.
                        lastEpoch = new AttemptEpoch(attempt, epoch, new Dictionary<string, double>(metrics));
                        return EpochDecision.Continue;
                    }

                    return Platform(ref platformFailed, () => OnEpoch(trial, attempt, epoch, metrics, cts));
                },
                (epoch, bytes) => Platform(ref platformFailed, () =>
                {
                    // Refused when this attempt lost its lease meanwhile: it must stop, its snapshot is not wanted.
                    if (!SlotWait.Block(checkpoints.SaveAsync(trialId, attempt, epoch, bytes)))
                    {
                        cts.Cancel();
                    }

                    return true;
                }));
            var outcome = executors.Get(start.TaskName).Execute(execution, cts.Token);
            if (stopping.IsCancellationRequested && outcome.State == TrialState.Cancelled)
            {
                // The silo is shutting down, not the sweep: someone else runs it from its checkpoint.
                calls.TryReport(() => trial.Abandon(workerId, $"worker {workerId} shut down"));
                return;
            }

            var result = new AttemptResult(attempt, outcome.State, outcome.Epochs, outcome.FinalMetrics, outcome.Message, lastEpoch);
            recorder.Record(trial, result, cts);
            recording = true;
        }
        catch (Exception ex) when (start is not null && !platformFailed && !stopping.IsCancellationRequested)
        {
            // The trial's own code threw: that counts against the sweep's retries.
            logger.LogWarning(ex, "Trial {TrialId} attempt {Attempt} failed", start.TrialId, start.Attempt);
            calls.TryReport(() => trial.Fail(start.Attempt, ex.Message));
        }
        catch (Exception ex)
        {
            // The platform failed (silo gone, shutting down): not the trial's fault, it runs again elsewhere.
            logger.LogWarning(ex, "Trial {TrialId} could not run on {Worker}", assignment.TrialId, workerId);
            calls.TryReport(() => trial.Abandon(workerId, $"worker {workerId}: {ex.Message}"));
        }
        finally
        {
            if (!recording)
            {
                running.Forget(assignment.TrialId, cts);
            }
        }
    }

    /// <summary>Gives back a trial leased and started ahead that no slot will run (the worker stops).</summary>
    public void AbandonStarted(PreparedTrial prepared, string reason)
    {
        try
        {
            var start = SlotWait.Block(prepared.Start!);
            var trial = grains.GetGrain<ITrialGrain>(prepared.Assignment.TrialId);
            calls.TryReport(() => start is null
                ? Scheduler.Release(prepared.Assignment.TrialId, workerId)
                : trial.Abandon(workerId, reason));
        }
        catch (Exception ex)
        {
            // The lease expires and the scheduler sends the trial back.
            logger.LogWarning(ex, "Giving back trial {TrialId} failed", prepared.Assignment.TrialId);
        }
        finally
        {
            running.Forget(prepared.Assignment.TrialId);
        }
    }

    private EpochDecision OnEpoch(ITrialGrain trial, int attempt, int epoch, IReadOnlyDictionary<string, double> metrics, CancellationTokenSource cts)
    {
        var report = new AttemptEpoch(attempt, epoch, new Dictionary<string, double>(metrics));
        var directive = calls.Call(() => trial.ReportEpoch(report));
        if (directive == TrialDirective.Cancel)
        {
            cts.Cancel();
        }

        return directive == TrialDirective.Continue ? EpochDecision.Continue : EpochDecision.Stop;
    }

    private static T Platform<T>(ref bool failed, Func<T> call)
    {
        try
        {
            return call();
        }
        catch
        {
            failed = true;
            throw;
        }
    }
}
