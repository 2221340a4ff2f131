using RnnLab.Sweeps.Analysis;
using RnnLab.Sweeps.Analysis.Fanova;
using RnnLab.Sweeps.Parameters;
using RnnLab.Sweeps.Sampling;
using RnnLab.Sweeps.Spec;
using RnnLab.Sweeps.Trials;

namespace RnnLab.Sweeps.Tests.Analysis;

public class FanovaAnalysisTests
{
    private static readonly SweepSpec _spec = SweepSpec.ParseOrThrow("""
        name: fanova
        task: jsb-chorales
        metric: valid.nll
        search:
          sampler: { type: random, seed: 3 }
          space:
            cell: { categorical: [lstm, gru, lstm-nfg] }
            lr: { loguniform: [1.0e-6, 1.0e-2] }
            hidden: { int: [20, 200] }
            momentum: { uniform: [0, 0.99] }
        budget: { trials: 400 }
        """);

    /// <summary>
    /// An Odyssey-like loss: learning rate (log scale) first, then hidden size, then cell; momentum is inert.
    /// Variances: lr 0.5²·Var(v²) for v ~ U(−3, 1) = 1.69, hidden 0.02²·180²/12 = 1.08, cell 1.5²·2/9 = 0.5,
    /// so the fractions are about 0.51, 0.33 and 0.15.
    /// </summary>
    private static double Loss(ParameterSet parameters)
    {
        var lr = Math.Log10(parameters.GetDouble("lr"));
        var cell = parameters.GetString("cell") == "lstm-nfg" ? 1.5 : 0;
        return 8 + 0.5 * (lr + 3) * (lr + 3) + 0.02 * (200 - parameters.GetLong("hidden")) + cell;
    }

    private static List<TrialSnapshot> Trials(int count, Func<ParameterSet, bool>? diverges = null)
    {
        var sampler = SamplerFactory.Create(_spec);
        return Enumerable.Range(0, count).Select(i =>
        {
            var parameters = sampler.Ask()!;
            return diverges?.Invoke(parameters) == true
                ? new TrialSnapshot(i, parameters, TrialState.Diverged, null)
                : new TrialSnapshot(i, parameters, TrialState.Completed, Loss(parameters));
        }).ToList();
    }

    [Fact]
    public void Importance_ranks_parameters_and_curves_find_the_best_learning_rate()
    {
        var report = FanovaAnalysis.Analyze(Trials(400), _spec.Space, _spec.Metric, new FanovaOptions(Forest: new ForestOptions(Trees: 16)));

        Assert.Equal(400, report.TrialCount);
        Assert.Equal(["lr", "hidden", "cell", "momentum"], report.MainEffects.Select(effect => effect.Parameter));
        Assert.Equal(0.51, report.MainEffects[0].Fraction, 0.05);
        Assert.Equal(0.33, report.MainEffects[1].Fraction, 0.05);
        Assert.Equal(0.15, report.MainEffects[2].Fraction, 0.05);
        Assert.InRange(report.MainEffects[^1].Fraction, 0, 0.01);
        Assert.Equal(6, report.Pairs.Count);
        Assert.InRange(report.Pairs.Sum(pair => pair.Fraction), 0, 0.05);

        var lr = report.Curves.Single(curve => curve.Parameter == "lr");
        Assert.Equal(50, lr.Points.Count);
        Assert.Equal(1e-6, lr.Points[0].Value.AsDouble(), 1e-12);
        var best = lr.Points.MinBy(point => point.Mean)!;
        Assert.InRange(Math.Log10(best.Value.AsDouble()), -3.4, -2.6);
        var cell = report.Curves.Single(curve => curve.Parameter == "cell");
        Assert.Equal(["lstm", "gru", "lstm-nfg"], cell.Points.Select(point => point.Value.AsString()));
        Assert.Equal(1.5, cell.Points[2].Mean - cell.Points[0].Mean, 0.2);
        Assert.Equal(0, cell.Points[1].Mean - cell.Points[0].Mean, 0.1);
    }

    [Fact]
    public void Log_scale_analysis_sees_a_log_scale_effect_more_clearly()
    {
        var trials = Trials(300);
        var forest = new ForestOptions(Trees: 16);

        var log = FanovaAnalysis.Analyze(trials, _spec.Space, _spec.Metric, new FanovaOptions(Pairs: false, Forest: forest));
        var linear = FanovaAnalysis.Analyze(trials, _spec.Space, _spec.Metric, new FanovaOptions(Pairs: false, LogScale: false, Forest: forest));

        // Uniform measure over 1e-6…1e-2 in linear scale is almost all above 1e-3, where the loss barely moves.
        Assert.True(log.MainEffects.Single(e => e.Parameter == "lr").Fraction >
                    linear.MainEffects.Single(e => e.Parameter == "lr").Fraction + 0.2);
    }

    [Fact]
    public void Diverged_trials_count_as_worst_by_default_and_can_be_excluded()
    {
        // Trials diverge wherever the learning rate exceeds 1e-3, a region the completed trials alone barely penalise.
        var trials = Trials(300, parameters => parameters.GetDouble("lr") > 1e-3 && parameters.GetLong("hidden") > 110);
        var forest = new ForestOptions(Trees: 16);

        var worst = FanovaAnalysis.Analyze(trials, _spec.Space, _spec.Metric, new FanovaOptions(Pairs: true, Forest: forest));
        var excluded = FanovaAnalysis.Analyze(trials, _spec.Space, _spec.Metric, new FanovaOptions(Pairs: true, Forest: forest,
            Trials: new AnalysisOptions(Diverged: DivergedPolicy.Exclude)));

        Assert.Equal(300, worst.TrialCount);
        Assert.Equal(300 - trials.Count(trial => trial.State == TrialState.Diverged), excluded.TrialCount);
        Assert.True(excluded.TrialCount < 290);
        var pair = (FanovaReport report) => report.Pairs.Single(p => p.First == "lr" && p.Second == "hidden").Fraction;
        Assert.True(pair(worst) > pair(excluded) + 0.2, $"lr×hidden: {pair(worst)} with diverged as worst, {pair(excluded)} without");
    }

    [Fact]
    public void Conditional_parameters_use_only_the_trials_where_they_are_active()
    {
        var spec = SweepSpec.ParseOrThrow("""
            name: conditional
            task: adding
            metric: valid.mse
            search:
              space:
                optimizer: { categorical: [sgd, adam] }
                lr: { loguniform: [1.0e-4, 1.0e-1] }
                momentum: { uniform: [0, 0.99], when: { optimizer: sgd } }
            budget: { trials: 100 }
            """);
        var sampler = SamplerFactory.Create(spec);
        var trials = Enumerable.Range(0, 200).Select(i =>
        {
            var parameters = sampler.Ask()!;
            var momentum = parameters.TryGetValue("momentum", out var m) ? m.AsDouble() : 0;
            return new TrialSnapshot(i, parameters, TrialState.Completed, momentum + Math.Log10(parameters.GetDouble("lr")));
        }).ToList();

        var report = FanovaAnalysis.Analyze(trials, spec.Space, spec.Metric,
            new FanovaOptions(Parameters: ["lr", "momentum"], Forest: new ForestOptions(Trees: 8)));

        Assert.Equal(trials.Count(trial => trial.Parameters.ContainsKey("momentum")), report.TrialCount);

        // By default the conditional parameter is left out, so every trial counts.
        var byDefault = FanovaAnalysis.Analyze(trials, spec.Space, spec.Metric, new FanovaOptions(Forest: new ForestOptions(Trees: 8)));
        Assert.Equal(trials.Count, byDefault.TrialCount);
        Assert.Equal(["lr", "optimizer"], byDefault.MainEffects.Select(m => m.Parameter).Order());
        var error = Assert.Throws<ArgumentException>(() => FanovaAnalysis.Analyze(trials, spec.Space, spec.Metric, new FanovaOptions(Parameters: ["hidden"])));
        Assert.Contains("'hidden'", error.Message);
    }
}

public class SweepAnalysisTests
{
    [Fact]
    public void A_stratified_sweep_is_analysed_by_its_strata_against_lstm()
    {
        var spec = SweepSpec.ParseOrThrow(RnnLab.Sweeps.Tests.RepositoryFiles.Read("experiments/odyssey-jsb.yaml"));
        var sampler = SamplerFactory.Create(spec);
        var trials = Enumerable.Range(0, 180).Select(i =>
        {
            var parameters = sampler.Ask()!;
            var penalty = parameters.GetString("cell") == "lstm-nfg" ? 2.0 : 0.0;
            var lr = Math.Log10(parameters.GetDouble("lr"));
            return new TrialSnapshot(i, parameters, TrialState.Completed, 8 + (lr + 3) * (lr + 3) / 4 + penalty);
        }).ToList();

        var report = SweepAnalysis.Analyze(spec, trials, fanova: new FanovaOptions(Forest: new ForestOptions(Trees: 8)));

        Assert.Equal("cell", report.StratifiedBy);
        Assert.Equal(9, report.Strata.Count);
        Assert.All(report.Strata, stratum => Assert.Equal(20, stratum.All.Count));
        Assert.Equal(8, report.Comparisons.Count);
        Assert.True(report.Comparisons.Single(c => c.Stratum.AsString() == "lstm-nfg").SignificantlyWorse(spec.Metric));
        Assert.Equal(20, report.Leaderboard.Count);
        Assert.Equal("lr", report.Fanova!.MainEffects[0].Parameter);
        Assert.Null(report.FanovaSkipped);
    }

    [Fact]
    public void Fanova_is_skipped_with_a_reason_while_too_few_trials_have_finished()
    {
        var spec = SweepSpec.ParseOrThrow(RnnLab.Sweeps.Tests.RepositoryFiles.Read("experiments/odyssey-jsb.yaml"));
        var first = SamplerFactory.Create(spec).Ask()!;

        var report = SweepAnalysis.Analyze(spec, [new TrialSnapshot(1, first, TrialState.Completed, 9.0)]);

        Assert.Null(report.Fanova);
        Assert.Contains("at least two trials", report.FanovaSkipped);
        Assert.Single(report.Leaderboard);
    }
}

public class FanovaInputTests
{
    [Fact]
    public void Single_valued_parameters_are_left_out_and_rejected_when_named()
    {
        var spec = SweepSpec.ParseOrThrow("""
            name: single
            task: adding
            metric: valid.mse
            fixed: { layers: 2 }
            search:
              space:
                lr: { loguniform: [1.0e-4, 1.0e-1] }
                hidden: { int: [64, 64] }
                momentum: { uniform: [0, 0.9] }
            budget: { trials: 50 }
            """);
        var sampler = SamplerFactory.Create(spec);
        var trials = Enumerable.Range(0, 60).Select(i =>
        {
            var parameters = sampler.Ask()!;
            return new TrialSnapshot(i, parameters, TrialState.Completed, Math.Log10(parameters.GetDouble("lr")) + parameters.GetDouble("momentum"));
        }).ToList();

        var report = FanovaAnalysis.Analyze(trials, spec.Space, spec.Metric, new FanovaOptions(Forest: new ForestOptions(Trees: 4)));

        Assert.Equal(["lr", "momentum"], report.MainEffects.Select(effect => effect.Parameter).Order());
        var error = Assert.Throws<ArgumentException>(() => FanovaAnalysis.Analyze(trials, spec.Space, spec.Metric, new FanovaOptions(Parameters: ["hidden", "lr"])));
        Assert.Contains("hidden takes a single value", error.Message);
    }

    [Fact]
    public void Trials_with_values_outside_the_current_space_are_left_out()
    {
        var spec = SweepSpec.ParseOrThrow("""
            name: drift
            task: adding
            metric: valid.mse
            search:
              space:
                lr: { loguniform: [1.0e-4, 1.0e-1] }
                momentum: { uniform: [0, 0.9] }
            budget: { trials: 50 }
            """);
        var sampler = SamplerFactory.Create(spec);
        var trials = Enumerable.Range(0, 40).Select(i =>
        {
            var parameters = sampler.Ask()!;
            return new TrialSnapshot(i, parameters, TrialState.Completed, Math.Log10(parameters.GetDouble("lr")));
        }).ToList();
        trials.Add(new TrialSnapshot(99, trials[0].Parameters.With("lr", 0.5), TrialState.Completed, 100.0));

        var report = FanovaAnalysis.Analyze(trials, spec.Space, spec.Metric, new FanovaOptions(Forest: new ForestOptions(Trees: 4)));

        Assert.Equal(40, report.TrialCount);
    }
}
