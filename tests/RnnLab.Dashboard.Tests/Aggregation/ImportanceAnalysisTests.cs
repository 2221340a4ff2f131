using RnnLab.CellGraphs;
using RnnLab.Dashboard.Aggregation;
using RnnLab.Sweeps.Analysis;
using RnnLab.Sweeps.Parameters;
using RnnLab.Sweeps.Spec;
using RnnLab.Sweeps.Trials;

namespace RnnLab.Dashboard.Tests.Aggregation;

/// <summary>The dashboard's importance chart and t-tests are the shared analysis's numbers (those of AnalyzeSweep and the report).</summary>
public class ImportanceAnalysisTests
{
    private static readonly SweepSpec Spec = SweepSpec.ParseOrThrow("""
        name: dashboard
        task: jsb-chorales
        metric: objective
        search:
          sampler: { type: stratified, by: cell, seed: 3 }
          space:
            cell: { categorical: [lstm, gru] }
            lr: { loguniform: [1.0e-6, 1.0e-2] }
            hidden: { int: [20, 200] }
            momentum: { one_minus_loguniform: [0.01, 1.0] }
        budget: { trials: 200 }
        """);

    /// <summary>Objective = (log10 lr + 3)² plus a little of hidden: the learning rate explains nearly all of it.</summary>
    private static (List<TrialSummary> Summaries, List<TrialSnapshot> Snapshots) Sweep(int count)
    {
        var sampler = Sweeps.Sampling.SamplerFactory.Create(Spec);
        var summaries = new List<TrialSummary>();
        var snapshots = new List<TrialSnapshot>();
        for (var i = 0; i < count; i++)
        {
            var parameters = sampler.Ask()!;
            var objective = Math.Pow(Math.Log10(parameters["lr"].AsDouble()) + 3, 2) + parameters["hidden"].AsDouble() / 1000;
            var diverged = i % 25 == 0;
            var state = diverged ? RnnLab.Contracts.V1.TrialState.Diverged : RnnLab.Contracts.V1.TrialState.Completed;
            // What the API sends: numbers as doubles, the cell apart.
            summaries.Add(new TrialSummary($"t{i}", i, parameters["cell"].AsString(), state, diverged ? null : objective,
                parameters.Where(p => p.Key != "cell").ToDictionary(p => p.Key, p => (object)p.Value.AsDouble())));
            snapshots.Add(new TrialSnapshot(i, parameters, diverged ? TrialState.Diverged : TrialState.Completed, diverged ? null : objective));
        }

        return (summaries, snapshots);
    }

    [Fact]
    public void The_bars_are_the_shared_analysis_numbers()
    {
        var (summaries, snapshots) = Sweep(120);

        var result = ImportanceAnalysis.Compute(summaries, Spec);
        var shared = SweepAnalysis.Analyze(Spec, snapshots).Fanova!;

        Assert.Null(result.Note);
        Assert.Equal(shared.MainEffects.Select(m => (m.Parameter, m.Fraction, m.StandardDeviation)),
            result.Bars.Select(b => (b.Parameter, b.Fraction, b.StandardDeviation)));
        Assert.Equal("lr", result.Bars[0].Parameter);
        var marginal = result.Marginal!;
        var curve = shared.Curves.Single(c => c.Parameter == "lr");
        Assert.Equal(curve.Points.Select(p => p.Mean), marginal.Mean);
        Assert.True(marginal.LogScale);
        var best = marginal.X[marginal.Mean.Select((m, i) => (m, i)).MinBy(p => p.m).i];
        Assert.InRange(Math.Log10(best), -3.5, -2.5);
    }

    [Fact]
    public void A_sample_of_a_huge_sweep_says_it_is_approximate()
    {
        var (summaries, _) = Sweep(120);

        var result = ImportanceAnalysis.Compute(summaries, Spec, maxTrials: 60);

        Assert.Contains("Approximate", result.Note);
        Assert.Contains("60 of 120", result.Note);
        Assert.NotEmpty(result.Bars);
    }

    [Fact]
    public void Too_few_trials_give_a_note_instead_of_bars()
    {
        var result = ImportanceAnalysis.Compute([Trials.Completed(1, "lstm", 1, ("lr", 0.1))], Spec);
        Assert.Empty(result.Bars);
        Assert.Null(result.Marginal);
        Assert.Contains("at least", result.Note);
    }

    [Fact]
    public void Welch_tests_are_the_shared_ones_zero_variance_included()
    {
        var trials = new List<TrialSummary>();
        for (var i = 0; i < 6; i++)
        {
            trials.Add(Trials.Completed(i, "lstm", 2.0));
            trials.Add(Trials.Completed(10 + i, "gru", 2.0));
            trials.Add(Trials.Completed(20 + i, "mut1", 1.0 + i * 0.1));
        }

        var cells = CellComparisons.Build(trials, CellNames.Lstm, maximize: false).ToDictionary(c => c.Cell);
        var shared = CellComparison.AgainstReference(TrialSnapshots.From(trials, null), TrialSnapshots.Metric("objective", false))
            .ToDictionary(c => c.Stratum.ToString(), c => c.Test);

        // Two constant, equal samples: no difference (p = 1), not "no test".
        Assert.Equal(1.0, cells["gru"].AllVersusBaseline!.PValue);
        Assert.Equal(shared["gru"], cells["gru"].AllVersusBaseline);
        Assert.Equal(shared["mut1"], cells["mut1"].AllVersusBaseline);
    }
}
