using RnnLab.Sweeps.Analysis.Fanova;
using RnnLab.Sweeps.Parameters;

namespace RnnLab.Sweeps.Analysis;

/// <summary>
/// Settings of a sweep's fANOVA. Parameters defaults to every searched parameter with more than one value; LogScale
/// analyses log-domain parameters in log scale (as the Odyssey did); CurvePoints ≤ 0 skips the curves; Trials defaults to completed trials with
/// diverged ones at the worst observed value (see <see cref="AnalysisOptions"/>).
/// </summary>
public sealed record FanovaOptions(
    IReadOnlyList<string>? Parameters = null,
    bool LogScale = true,
    bool Pairs = true,
    int CurvePoints = 50,
    AnalysisOptions? Trials = null,
    ForestOptions? Forest = null);

/// <summary>The share of the metric's variance due to one parameter alone (mean and spread over the forest's trees).</summary>
public sealed record ParameterImportance(string Parameter, double Fraction, double StandardDeviation);

/// <summary>The share of variance due to two parameters together, beyond their main effects.</summary>
public sealed record PairImportance(string First, string Second, double Fraction, double StandardDeviation);

/// <summary>The predicted metric with one parameter set to Value and every other one averaged out.</summary>
public sealed record MarginalPoint(ParameterValue Value, double Mean, double StandardDeviation);

/// <summary>A parameter's marginal: the curve to plot metric against (say) learning rate.</summary>
public sealed record MarginalCurve(string Parameter, IReadOnlyList<MarginalPoint> Points);

/// <summary>fANOVA of one sweep: main effects and pairs (largest first) and a marginal curve per parameter.</summary>
public sealed record FanovaReport(
    int TrialCount,
    IReadOnlyList<ParameterImportance> MainEffects,
    IReadOnlyList<PairImportance> Pairs,
    IReadOnlyList<MarginalCurve> Curves);
