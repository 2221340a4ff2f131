using RnnLab.Sweeps.Spec;
using RnnLab.Sweeps.Trials;

namespace RnnLab.Sweeps.Analysis;

/// <summary>Applies <see cref="AnalysisOptions"/>: the trials an analysis reads, each with the metric value it uses.</summary>
public static class TrialSelection
{
    public static IReadOnlyList<(TrialSnapshot Trial, double Value)> Select(
        IEnumerable<TrialSnapshot> trials, MetricSpec metric, AnalysisOptions options)
    {
        var list = trials.ToList();
        var usable = list
            .Where(trial => trial.HasFiniteValue && (trial.State == TrialState.Completed || options.IncludePruned))
            .Select(trial => (trial, trial.Value!.Value))
            .ToList();
        if (options.Diverged == DivergedPolicy.WorstObserved && usable.Count > 0)
        {
            var worst = metric.Direction == MetricDirection.Minimize ? usable.Max(x => x.Item2) : usable.Min(x => x.Item2);
            usable.AddRange(list.Where(trial => trial.State == TrialState.Diverged).Select(trial => (trial, worst)));
        }

        return usable.OrderBy(x => x.trial.Id).Select(x => (x.trial, x.Item2)).ToList();
    }
}
