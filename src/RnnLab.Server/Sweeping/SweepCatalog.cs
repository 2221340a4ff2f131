using System.Collections.Concurrent;
using RnnLab.Storage;
using RnnLab.Sweeps.Spec;

namespace RnnLab.Server.Sweeping;

/// <summary>Reads sweeps with what the API shows about them: the parsed spec (cached) and trial counts.</summary>
public sealed class SweepCatalog(ISweepStore sweeps, ITrialStore trials)
{
    private readonly ConcurrentDictionary<Guid, SweepSpec?> _specs = new();

    public Task<SweepRecord?> GetAsync(Guid sweepId, CancellationToken cancellationToken) =>
        sweeps.GetAsync(sweepId, cancellationToken);

    /// <summary>The sweep's spec; null only when stored text no longer parses (an older spec format).</summary>
    public SweepSpec? SpecOf(SweepRecord sweep) =>
        _specs.GetOrAdd(sweep.Id, _ => SweepSpec.Parse(sweep.SpecText).Spec);

    public Task<IReadOnlyList<TrialRecord>> TrialsAsync(Guid sweepId, CancellationToken cancellationToken) =>
        trials.ListAsync(sweepId, null, cancellationToken);
}
