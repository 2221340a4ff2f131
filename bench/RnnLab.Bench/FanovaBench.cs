using RnnLab.Sweeps.Analysis;
using RnnLab.Sweeps.Analysis.Fanova;
using RnnLab.Sweeps.Trials;

namespace RnnLab.Bench;

/// <summary>
/// `fanova`: RnnLab's fANOVA against Optuna 3.1's FanovaImportanceEvaluator on the same 300 trials × 5 parameters
/// (same forest settings; linear scale and main effects only, as Optuna computes them), our time from 300 to
/// 5,400 trials, TPE ask latency, and TPE against random search. Options: --optuna-trials N (default 300),
/// --skip-optuna.
/// </summary>
public static class FanovaBench
{
    private const long Seed = 0;

    public static int Run(string[] args)
    {
        var optunaTrials = OptionValue(args, "--optuna-trials") ?? 300;
        var skipOptuna = args.Contains("--skip-optuna");
        var output = Console.Out;
        var spec = FanovaBenchObjective.Spec;
        var all = FanovaBenchObjective.Trials(5_400);
        var trials = all.Take(optunaTrials).ToList();

        // Optuna's setting: no log transform, main effects only, 64 trees of depth ≤ 64.
        var optunaLike = new FanovaOptions(Parameters: FanovaBenchObjective.Parameters, LogScale: false, Pairs: false, CurvePoints: 0,
            Forest: new ForestOptions(Seed: Seed));
        var full = new FanovaOptions(Parameters: FanovaBenchObjective.Parameters, Forest: new ForestOptions(Seed: Seed));

        FanovaReport? report = null;
        var cold = FanovaBenchClock.Measure(() => report = FanovaAnalysis.Analyze(trials, spec.Space, spec.Metric, optunaLike), 1);

        // Warm up until tiered compilation has settled: its background compiles count as this process's CPU time.
        FanovaBenchClock.Measure(() => FanovaAnalysis.Analyze(trials, spec.Space, spec.Metric, optunaLike), 20);
        var ours = FanovaBenchClock.Measure(() => report = FanovaAnalysis.Analyze(trials, spec.Space, spec.Metric, optunaLike), 20);
        output.WriteLine($"RnnLab fANOVA, {trials.Count} trials × {FanovaBenchObjective.Parameters.Length} parameters, main effects, linear scale (20 runs):");
        output.WriteLine($"  {ours.CpuSeconds * 1000:F1} ms CPU, {ours.WallSeconds * 1000:F1} ms wall (first run, with JIT: {cold.WallSeconds * 1000:F0} ms wall)");

        Curve(output, all);

        TpeBench.AskLatency(output);
        TpeBench.AgainstRandom(output);

        if (skipOptuna)
        {
            output.WriteLine("fanova: optuna skipped (--skip-optuna)");
            return 0;
        }

        output.WriteLine($"Optuna FanovaImportanceEvaluator on the same {trials.Count} trials (running; about a minute)...");
        var optuna = FanovaOptunaRunner.Run(trials, spec.Space, FanovaBenchObjective.Parameters, Seed);
        var ourFractions = Normalised(report!.MainEffects.ToDictionary(effect => effect.Parameter, effect => effect.Fraction));
        var optunaFractions = Normalised(optuna.Importances);
        output.WriteLine($"  Optuna {optuna.Version}: {optuna.CpuSeconds:F2} s CPU, {optuna.Seconds:F2} s wall");
        output.WriteLine($"  {"parameter",-12} {"RnnLab",8} {"Optuna",8}   (main effects normalised to sum 1, as Optuna reports them)");
        foreach (var name in optunaFractions.OrderByDescending(pair => pair.Value).Select(pair => pair.Key))
        {
            output.WriteLine($"  {name,-12} {ourFractions[name],8:F4} {optunaFractions[name],8:F4}");
        }

        var logScale = FanovaAnalysis.Analyze(trials, spec.Space, spec.Metric, full);
        output.WriteLine("  RnnLab with log-scaled lr and init_scale (the Odyssey's view), with the largest pair:");
        output.WriteLine("   " + string.Join(", ", logScale.MainEffects.Select(effect => $"{effect.Parameter} {effect.Fraction:F3}")) +
                         $"; {logScale.Pairs[0].First}×{logScale.Pairs[0].Second} {logScale.Pairs[0].Fraction:F3}");

        var sameRanking = ourFractions.OrderByDescending(pair => pair.Value).Select(pair => pair.Key)
            .SequenceEqual(optunaFractions.OrderByDescending(pair => pair.Value).Select(pair => pair.Key));
        var maxDifference = optunaFractions.Max(pair => Math.Abs(pair.Value - ourFractions[pair.Key]));
        var speedup = optuna.CpuSeconds / ours.CpuSeconds;
        output.WriteLine($"  speedup: {speedup:F0}x in CPU time, {optuna.Seconds / ours.WallSeconds:F0}x in wall-clock time (load-dependent)");
        output.WriteLine($"fanova: {speedup:F0}x optuna, ranking {(sameRanking ? "same" : "different")}, max fraction difference {maxDifference:F3}");
        return 0;
    }

    private static void Curve(TextWriter output, List<TrialSnapshot> all)
    {
        var spec = FanovaBenchObjective.Spec;
        output.WriteLine("RnnLab fANOVA CPU time against trial count (64 trees):");
        output.WriteLine($"  {"trials",7} {"main ms",9} {"µs/trial",9} {"full ms",9} {"µs/trial",9}   (main = as Optuna; full = log scale, 10 pairs, 5 curves)");
        foreach (var count in new[] { 300, 600, 1_200, 2_400, 5_400 })
        {
            var subset = all.Take(count).ToList();
            var repetitions = Math.Max(2, 3000 / count);
            var main = FanovaBenchClock.Measure(() => FanovaAnalysis.Analyze(subset, spec.Space, spec.Metric,
                new FanovaOptions(Parameters: FanovaBenchObjective.Parameters, LogScale: false, Pairs: false, CurvePoints: 0)), repetitions).CpuSeconds;
            var full = FanovaBenchClock.Measure(() => FanovaAnalysis.Analyze(subset, spec.Space, spec.Metric,
                new FanovaOptions(Parameters: FanovaBenchObjective.Parameters)), repetitions).CpuSeconds;
            output.WriteLine($"  {count,7} {main * 1000,9:F1} {main * 1e6 / count,9:F1} {full * 1000,9:F1} {full * 1e6 / count,9:F1}");
        }
    }

    private static Dictionary<string, double> Normalised(IReadOnlyDictionary<string, double> fractions)
    {
        var total = fractions.Values.Sum();
        return fractions.ToDictionary(pair => pair.Key, pair => pair.Value / total);
    }

    private static int? OptionValue(string[] args, string name)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length && int.TryParse(args[index + 1], out var value) ? value : null;
    }
}
