using TrialState = RnnLab.Sweeps.Trials.TrialState;
using RnnLab.Contracts.V1;
using RnnLab.Storage;
using RnnLab.Sweeps.Spec;

namespace RnnLab.Server.Grpc;

/// <summary>The filter and order of a ListTrials request, validated.</summary>
internal sealed record TrialQuery(HashSet<TrialState> States, HashSet<string> Cells, string OrderBy, bool Maximize)
{
    public static TrialQuery From(ListTrialsRequest request, SweepSpec? spec)
    {
        var states = new HashSet<TrialState>();
        for (var i = 0; i < request.States.Count; i++)
        {
            states.Add(request.States[i].FromProto() ?? throw ApiErrors.InvalidArgument($"states[{i}]", "is not a trial state"));
        }

        var order = request.OrderBy.Length == 0 ? "number" : request.OrderBy;
        if (order is not ("number" or "objective" or "-objective"))
        {
            throw ApiErrors.InvalidArgument("order_by", $"'{order}' is not an order; use number, objective or -objective");
        }

        return new TrialQuery(states, request.Cells.ToHashSet(StringComparer.Ordinal), order, spec?.Metric.Direction == MetricDirection.Maximize);
    }

    public IReadOnlyList<TrialRecord> Apply(IEnumerable<TrialRecord> trials)
    {
        var matching = trials.Where(t => (States.Count == 0 || States.Contains(t.State)) && (Cells.Count == 0 || Cells.Contains(ProtoMapping.CellOf(t))));
        return OrderBy switch
        {
            "objective" => matching.OrderBy(t => t.Objective is null ? 1 : 0).ThenBy(t => Loss(t)).ThenBy(t => t.Number).ToList(),
            "-objective" => matching.OrderBy(t => t.Objective is null ? 1 : 0).ThenByDescending(t => Loss(t)).ThenBy(t => t.Number).ToList(),
            _ => matching.OrderBy(t => t.Number).ToList(),
        };
    }

    // Lower is better after this, whichever way the sweep's metric points.
    private double Loss(TrialRecord trial) => trial.Objective is { } v ? (Maximize ? -v : v) : 0;
}
