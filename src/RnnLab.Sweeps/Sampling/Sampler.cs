using RnnLab.Sweeps.Parameters;
using RnnLab.Sweeps.Space;
using RnnLab.Sweeps.Trials;

namespace RnnLab.Sweeps.Sampling;

/// <summary>Shared bookkeeping: counts proposals and keeps told trials ordered by id, so tell order never matters.</summary>
public abstract class Sampler(SearchSpace space) : ISampler
{
    private readonly SortedDictionary<long, TrialSnapshot> _told = [];

    protected SearchSpace Space { get; } = space;

    /// <summary>Finished trials told so far, in id order.</summary>
    protected IReadOnlyCollection<TrialSnapshot> Told => _told.Values;

    public long Proposed { get; private set; }

    public ParameterSet? Ask()
    {
        var proposal = Propose(Proposed);
        if (proposal is not null)
        {
            Proposed++;
            OnProposed(proposal);
        }

        return proposal;
    }

    public void Tell(TrialSnapshot trial)
    {
        ArgumentNullException.ThrowIfNull(trial);
        _told[trial.Id] = trial;
        OnTold();
    }

    /// <summary>Continues after <paramref name="proposed"/> earlier proposals.</summary>
    internal void Resume(long proposed)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(proposed);
        Proposed = proposed;
    }

    /// <summary>Continues after the earlier proposals of a restored sweep, finished or not, given in any order.</summary>
    internal void Resume(IReadOnlyCollection<ParameterSet> proposals)
    {
        foreach (var proposal in proposals)
        {
            OnProposed(proposal);
        }

        Resume(proposals.Count);
    }

    /// <summary>The proposal with this index, or null when there is none.</summary>
    protected abstract ParameterSet? Propose(long index);

    protected virtual void OnTold()
    {
    }

    /// <summary>
    /// A configuration was proposed: by this sampler, or by the one it was restored from. Called once per proposal,
    /// in no promised order, so what a sampler keeps of them must not depend on the order.
    /// </summary>
    protected virtual void OnProposed(ParameterSet proposal)
    {
    }
}
