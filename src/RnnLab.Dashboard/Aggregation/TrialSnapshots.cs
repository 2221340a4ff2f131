using RnnLab.Sweeps.Parameters;
using RnnLab.Sweeps.Space;
using RnnLab.Sweeps.Spec;
using RnnLab.Sweeps.Trials;
using ProtoState = RnnLab.Contracts.V1.TrialState;

namespace RnnLab.Dashboard.Aggregation;

/// <summary>
/// Turns the dashboard's trial summaries back into the analysis's trial snapshots, so the dashboard runs the same
/// RnnLab.Sweeps.Analysis code on the same values as AnalyzeSweep and the report.
/// </summary>
public static class TrialSnapshots
{
    public static MetricSpec Metric(string objective, bool maximize) =>
        new(objective, maximize ? MetricDirection.Maximize : MetricDirection.Minimize);

    /// <summary>
    /// The API sends every number as a double and booleans as words; each value is put back into the type its domain in
    /// <paramref name="space"/> holds (integers for int domains, the matching choice of a categorical).
    /// </summary>
    public static IReadOnlyList<TrialSnapshot> From(IEnumerable<TrialSummary> trials, SearchSpace? space) =>
        trials.Select(trial => new TrialSnapshot(trial.Number, Parameters(trial, space), State(trial.State), trial.Objective)).ToList();

    private static ParameterSet Parameters(TrialSummary trial, SearchSpace? space)
    {
        var values = new List<KeyValuePair<string, ParameterValue>>();
        if (trial.Cell.Length > 0)
        {
            values.Add(new("cell", ParameterValue.Text(trial.Cell)));
        }

        foreach (var (name, raw) in trial.Parameters)
        {
            var domain = space is not null && space.Contains(name) ? space[name].Domain : null;
            if (Conform(raw, domain) is { } value)
            {
                values.Add(new(name, value));
            }
        }

        return ParameterSet.From(values);
    }

    private static ParameterValue? Conform(object raw, ParameterDomain? domain) => (raw, domain) switch
    {
        (double number, IntegerDomain) when Math.Abs(number - Math.Round(number)) < 1e-9 => ParameterValue.Integer((long)Math.Round(number)),
        (double number, CategoricalDomain categorical) => Choice(categorical, c => c.IsNumeric && c.AsDouble() == number),
        (string text, CategoricalDomain categorical) => Choice(categorical, c => c.ToString() == text),
        (string text, FixedDomain fixedDomain) when fixedDomain.Value.ToString() == text => fixedDomain.Value,
        (double number, FixedDomain { Value.IsNumeric: true } fixedDomain) when fixedDomain.Value.AsDouble() == number => fixedDomain.Value,
        (double number, _) => ParameterValue.Real(number),
        (string text, _) => ParameterValue.Text(text),
        _ => null,
    };

    /// <summary>The matching choice; null when none matches (a value from an older spec: left out, as the analysis would).</summary>
    private static ParameterValue? Choice(CategoricalDomain domain, Func<ParameterValue, bool> matches)
    {
        foreach (var choice in domain.Choices)
        {
            if (matches(choice))
            {
                return choice;
            }
        }

        return null;
    }

    private static TrialState State(ProtoState state) => state switch
    {
        ProtoState.Running => TrialState.Running,
        ProtoState.Completed => TrialState.Completed,
        ProtoState.Pruned => TrialState.Pruned,
        ProtoState.Diverged => TrialState.Diverged,
        ProtoState.Failed => TrialState.Failed,
        ProtoState.Cancelled => TrialState.Cancelled,
        _ => TrialState.Pending,
    };
}
