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

    /// <summary>The store filter: "objective" is best first, whichever way the sweep's metric points.</summary>
    public TrialFilter ToFilter() => new(States, Cells, OrderBy switch
    {
        "objective" => Maximize ? TrialOrder.ObjectiveDescending : TrialOrder.ObjectiveAscending,
        "-objective" => Maximize ? TrialOrder.ObjectiveAscending : TrialOrder.ObjectiveDescending,
        _ => TrialOrder.Number,
    });
}
