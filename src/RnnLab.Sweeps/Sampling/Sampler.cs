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

    /// <summary>The proposal with this index, or null when there is none.</summary>
    protected abstract ParameterSet? Propose(long index);

    protected virtual void OnTold()
    {
    }
}
