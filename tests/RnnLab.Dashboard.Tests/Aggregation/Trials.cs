using RnnLab.Contracts.V1;
using RnnLab.Dashboard.Aggregation;

namespace RnnLab.Dashboard.Tests.Aggregation;

/// <summary>Builds trial summaries for the aggregation tests.</summary>
internal static class Trials
{
    public static TrialSummary Completed(int number, string cell, double objective, params (string Name, object Value)[] parameters) =>
        new($"t{number}", number, cell, TrialState.Completed, objective, parameters.ToDictionary(p => p.Name, p => p.Value));

    public static TrialSummary Running(int number, string cell) =>
        new($"t{number}", number, cell, TrialState.Running, null, new Dictionary<string, object>());
}
