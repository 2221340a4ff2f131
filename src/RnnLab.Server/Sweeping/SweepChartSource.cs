using RnnLab.Contracts.V1;
using RnnLab.Server.Grpc;
using RnnLab.Storage;
using SweepState = RnnLab.Sweeps.Trials.SweepState;

namespace RnnLab.Server.Sweeping;

/// <summary>
/// A sweep page's charts (GetSweepCharts): computed on every call while the sweep runs; for a finished sweep computed
/// once and kept in the <see cref="AnalysisCache"/>, since they no longer change (until the sweep is extended, which
/// changes its state and counts).
/// </summary>
public sealed class SweepChartSource(SweepCatalog catalog, ITrialStore trials, SweepCharting charting, AnalysisCache analyses)
{
    /// <summary>The cell the dashboard compares the others with.</summary>
    public const string DefaultBaseline = "lstm";

    public async Task<SweepCharts> GetAsync(SweepRecord sweep, string baseline, CancellationToken cancellationToken)
    {
        async Task<SweepCharts> ComputeAsync(CancellationToken token)
        {
            var all = await catalog.TrialsAsync(sweep.Id, token);
            var data = await charting.BuildAsync(catalog.SpecOf(sweep), all.Select(SweepCharting.Summarize).ToArray(), baseline, token);
            return ChartMapping.ToProto(sweep.Id, data, charting.Limits);
        }

        if (sweep.State is SweepState.Running or SweepState.Paused)
        {
            return await ComputeAsync(cancellationToken);
        }

        // Computed once for every caller; a caller that goes away does not cancel what the others wait for.
        var tally = await trials.TallyAsync(sweep.Id, cancellationToken);
        return await analyses.GetOrAddAsync(sweep, tally, Variant(baseline), () => ComputeAsync(CancellationToken.None)).WaitAsync(cancellationToken);
    }

    /// <summary>Whether a finished sweep's charts against this baseline are kept, so a call returns at once.</summary>
    public async Task<bool> IsKeptAsync(SweepRecord sweep, string baseline, CancellationToken cancellationToken) =>
        analyses.Holds<SweepCharts>(sweep, await trials.TallyAsync(sweep.Id, cancellationToken), Variant(baseline));

    private static string Variant(string baseline) => $"charts:{baseline}";
}
