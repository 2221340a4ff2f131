using Google.Protobuf.WellKnownTypes;
using RnnLab.Contracts.V1;

namespace RnnLab.Dashboard.Aggregation;

/// <summary>What the dashboard keeps of a trial: its number, cell, state, objective and sampled hyperparameters.</summary>
/// <param name="Parameters">Values are <see cref="double"/> or <see cref="string"/>.</param>
public sealed record TrialSummary(string Id, int Number, string Cell, TrialState State, double? Objective, IReadOnlyDictionary<string, object> Parameters)
{
    public bool IsFinished => State is not (TrialState.Pending or TrialState.Running or TrialState.Unspecified);

    /// <summary>A completed trial with a finite objective and a known cell: what the analyses compare.</summary>
    public bool HasResult => State == TrialState.Completed && Objective is { } value && double.IsFinite(value) && Cell.Length > 0;

    public static TrialSummary From(Trial trial)
    {
        ArgumentNullException.ThrowIfNull(trial);
        var parameters = new SortedDictionary<string, object>(StringComparer.Ordinal);
        if (trial.Parameters is not null)
        {
            foreach (var (name, value) in trial.Parameters.Fields)
            {
                if (name == "cell")
                {
                    continue;
                }

                object? converted = value.KindCase switch
                {
                    Value.KindOneofCase.NumberValue => value.NumberValue,
                    Value.KindOneofCase.StringValue => value.StringValue,
                    Value.KindOneofCase.BoolValue => value.BoolValue ? "true" : "false",
                    _ => null,
                };
                if (converted is not null)
                {
                    parameters[name] = converted;
                }
            }
        }

        return new TrialSummary(trial.Id, trial.Number, trial.Cell, trial.State, trial.HasObjective ? trial.Objective : null, parameters);
    }
}
