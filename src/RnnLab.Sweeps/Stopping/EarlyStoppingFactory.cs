using RnnLab.Sweeps.Parameters;
using RnnLab.Sweeps.Spec;

namespace RnnLab.Sweeps.Stopping;

/// <summary>Creates the early-stopping rule a spec names, turning maximised metrics into losses.</summary>
public static class EarlyStoppingFactory
{
    public static IEarlyStopping Create(SweepSpec spec) => Create(spec.EarlyStopping, spec.Metric);

    public static IEarlyStopping Create(EarlyStoppingSpec settings, MetricSpec metric)
    {
        IEarlyStopping rule = settings.Type switch
        {
            EarlyStoppingType.None => new NoEarlyStopping(),
            EarlyStoppingType.Median => new MedianStopping(settings.GracePeriod, settings.MinTrials),
            EarlyStoppingType.Asha => new AshaStopping(settings.GracePeriod, settings.ReductionFactor,
                settings.MaxEpochs ?? ParameterCatalog.MaxEpochs),
            _ => throw new ArgumentOutOfRangeException(nameof(settings), settings.Type, "unknown early-stopping rule"),
        };
        return metric.Direction == MetricDirection.Minimize ? rule : new MaximisedMetric(rule);
    }

    /// <summary>Negates a maximised metric so the rules can always treat lower as better.</summary>
    private sealed class MaximisedMetric(IEarlyStopping inner) : IEarlyStopping
    {
        public StoppingDecision Report(long trialId, int epoch, double value) => inner.Report(trialId, epoch, -value);
    }
}
