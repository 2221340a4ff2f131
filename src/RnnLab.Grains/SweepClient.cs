using RnnLab.Sweeps.Trials;
using System.Runtime.CompilerServices;
using RnnLab.Storage;
using RnnLab.Sweeps.Spec;

namespace RnnLab.Grains;

/// <summary>A submitted (or re-submitted) sweep.</summary>
public sealed record SubmittedSweep(Guid SweepId, bool Created, SweepStatus Status);

/// <summary>
/// What the API needs from the platform: submit a spec, control a sweep, and watch its events — first those
/// after a given number, then live ones — so a reconnecting subscriber resumes where it stopped.
/// </summary>
public sealed class SweepClient(IGrainFactory grains, ISweepStore sweeps)
{
    private static readonly TimeSpan PollWait = TimeSpan.FromSeconds(10);

    /// <summary>Validates the spec (throwing <see cref="SpecException"/> naming each bad field), stores and starts it.</summary>
    public async Task<SubmittedSweep> SubmitAsync(string specText, string? idempotencyKey = null, CancellationToken cancellationToken = default)
    {
        var spec = SweepSpec.ParseOrThrow(specText);
        var (record, created) = await sweeps.CreateAsync(new NewSweep(spec.Name, specText, idempotencyKey), cancellationToken);
        var status = await grains.GetGrain<ISweepGrain>(record.Id).Start();
        return new SubmittedSweep(record.Id, created, status);
    }

    public Task<SweepStatus> GetStatusAsync(Guid sweepId) => grains.GetGrain<ISweepGrain>(sweepId).GetStatus();

    public Task PauseAsync(Guid sweepId) => grains.GetGrain<ISweepGrain>(sweepId).Pause();

    public Task ResumeAsync(Guid sweepId) => grains.GetGrain<ISweepGrain>(sweepId).Resume();

    public Task CancelAsync(Guid sweepId) => grains.GetGrain<ISweepGrain>(sweepId).Cancel();

    public Task<SweepStatus> ExtendAsync(Guid sweepId, int additionalTrials) => grains.GetGrain<ISweepGrain>(sweepId).Extend(additionalTrials);

    public Task<int> RetryAsync(Guid sweepId, IReadOnlyList<TrialState> states) =>
        grains.GetGrain<ISweepGrain>(sweepId).Retry(states.Select(s => s).ToList());

    public Task<bool> StopTrialAsync(Guid sweepId, int number, bool prune) => grains.GetGrain<ISweepGrain>(sweepId).StopTrial(number, prune);

    /// <summary>
    /// Every event numbered above <paramref name="afterSequence"/>, in order and without gaps, then live events
    /// as they happen; ends after the sweep-finished event or when cancelled.
    /// </summary>
    public async IAsyncEnumerable<SweepEvent> WatchAsync(Guid sweepId, long afterSequence = 0,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var grain = grains.GetGrain<ISweepGrain>(sweepId);
        var after = afterSequence;
        while (!cancellationToken.IsCancellationRequested)
        {
            var batch = await grain.WaitForEvents(after, 1000, PollWait).WaitAsync(cancellationToken);
            foreach (var e in batch)
            {
                yield return e;
                after = e.Sequence;
                if (e.Kind == SweepEventKinds.SweepFinished)
                {
                    yield break;
                }
            }
        }
    }
}
