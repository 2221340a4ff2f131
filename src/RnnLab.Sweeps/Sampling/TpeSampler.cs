using RnnLab.Sweeps.Parameters;
using RnnLab.Sweeps.Space;
using RnnLab.Sweeps.Spec;
using RnnLab.Sweeps.Trials;

namespace RnnLab.Sweeps.Sampling;

/// <summary>
/// Tree-structured Parzen Estimator (Bergstra et al. 2011), univariate as in Hyperopt and Optuna. Finished trials
/// are split into the best γ(n) = min(⌈n/10⌉, 25) and the rest; per parameter one density is fitted to each group
/// and the candidate maximising l(x)/g(x) is proposed. Conditional parameters learn only from the trials in which
/// they were active; categoricals use smoothed weighted counts. Diverged trials count among the worst.
/// Cost per ask is linear in the number of finished trials.
/// </summary>
public sealed class TpeSampler : Sampler
{
    private const int MaxGood = 25;
    private const int FullWeightRecent = 25;

    private readonly long _seed;
    private readonly MetricSpec _metric;
    private readonly int _startupTrials;
    private readonly int _candidates;
    private readonly RandomSampler _startup;
    private Split? _split;

    public TpeSampler(SearchSpace space, MetricSpec metric, long seed, int startupTrials = SamplerSpec.DefaultStartupTrials,
        int candidates = SamplerSpec.DefaultCandidates) : base(space)
    {
        _seed = seed;
        _metric = metric;
        _startupTrials = startupTrials;
        _candidates = candidates;
        _startup = new RandomSampler(space, seed);
    }

    protected override void OnTold() => _split = null;

    protected override ParameterSet? Propose(long index)
    {
        var split = _split ??= SplitTrials();
        if (split.Count < _startupTrials)
        {
            _startup.Resume(index);
            return _startup.Ask();
        }

        var random = new SeededRandom(_seed, index);
        return Space.Build((parameter, _) => parameter.Domain switch
        {
            FixedDomain fixedDomain => fixedDomain.Value,
            NumericDomain numeric => ChooseNumeric(parameter.Name, numeric, split, random),
            CategoricalDomain categorical => ChooseCategorical(parameter.Name, categorical, split, random),
            _ => throw new NotSupportedException(parameter.Domain.GetType().Name),
        });
    }

    private ParameterValue ChooseNumeric(string name, NumericDomain domain, Split split, SeededRandom random)
    {
        var (goodValues, goodWeights) = Observed(split.Good, name, value => domain.ToInternal(value));
        var (badValues, badWeights) = Observed(split.Bad, name, value => domain.ToInternal(value));
        var good = new ParzenEstimator(goodValues, goodWeights, domain.InternalLow, domain.InternalHigh);
        var bad = new ParzenEstimator(badValues, badWeights, domain.InternalLow, domain.InternalHigh);

        var best = double.NaN;
        var bestScore = double.NegativeInfinity;
        for (var i = 0; i < _candidates; i++)
        {
            var candidate = good.Sample(random);
            var score = good.LogDensity(candidate) - bad.LogDensity(candidate);
            if (score > bestScore)
            {
                best = candidate;
                bestScore = score;
            }
        }

        return domain.FromInternal(best);
    }

    private ParameterValue ChooseCategorical(string name, CategoricalDomain domain, Split split, SeededRandom random)
    {
        var good = CategoryWeights(split.Good, name, domain);
        var bad = CategoryWeights(split.Bad, name, domain);
        var cumulative = new double[good.Length];
        var running = 0.0;
        for (var c = 0; c < good.Length; c++)
        {
            running += good[c];
            cumulative[c] = running;
        }

        var best = 0;
        var bestScore = double.NegativeInfinity;
        for (var i = 0; i < _candidates; i++)
        {
            var pick = random.NextDouble() * running;
            var c = Math.Min(good.Length - 1, Array.FindIndex(cumulative, total => total > pick) is var found and >= 0 ? found : good.Length - 1);
            var score = Math.Log(good[c] / running) - Math.Log(bad[c] / bad.Sum());
            if (score > bestScore)
            {
                best = c;
                bestScore = score;
            }
        }

        return domain.Choices[best];
    }

    private static double[] CategoryWeights(IReadOnlyList<WeightedTrial> trials, string name, CategoricalDomain domain)
    {
        // The prior adds one pseudo-observation spread evenly over the choices.
        var weights = Enumerable.Repeat(1.0 / domain.Choices.Count, domain.Choices.Count).ToArray();
        foreach (var trial in trials)
        {
            if (trial.Parameters.TryGetValue(name, out var value) && domain.IndexOf(value) is var index and >= 0)
            {
                weights[index] += trial.Weight;
            }
        }

        return weights;
    }

    private static (List<double> Values, List<double> Weights) Observed(
        IReadOnlyList<WeightedTrial> trials, string name, Func<ParameterValue, double> toInternal)
    {
        var values = new List<double>();
        var weights = new List<double>();
        foreach (var trial in trials)
        {
            if (trial.Parameters.TryGetValue(name, out var value) && value.IsNumeric)
            {
                values.Add(toInternal(value));
                weights.Add(trial.Weight);
            }
        }

        return (values, weights);
    }

    private Split SplitTrials()
    {
        var usable = Told
            .Where(trial => trial.HasFiniteValue || trial.State == TrialState.Diverged)
            .ToList();
        var n = usable.Count;

        // Older trials weigh less once there are many (Optuna's default ramp), so the model follows the search.
        var weightById = new Dictionary<long, double>();
        for (var i = 0; i < n; i++)
        {
            var ramp = n <= FullWeightRecent || i >= n - FullWeightRecent
                ? 1.0
                : 1.0 / n + (1.0 - 1.0 / n) * i / Math.Max(1, n - FullWeightRecent - 1);
            weightById[usable[i].Id] = ramp;
        }

        var ranked = usable
            .OrderBy(trial => trial.HasFiniteValue ? _metric.ToLoss(trial.Value!.Value) : double.PositiveInfinity)
            .ThenBy(trial => trial.Id)
            .Select(trial => new WeightedTrial(trial.Parameters, weightById[trial.Id]))
            .ToList();
        var goodCount = Math.Min((int)Math.Ceiling(0.1 * n), MaxGood);
        return new Split(n, ranked.Take(goodCount).ToList(), ranked.Skip(goodCount).ToList());
    }

    private sealed record WeightedTrial(ParameterSet Parameters, double Weight);

    private sealed record Split(int Count, IReadOnlyList<WeightedTrial> Good, IReadOnlyList<WeightedTrial> Bad);
}
