using RnnLab.Sweeps.Sampling;
using RnnLab.Sweeps.Trials;

namespace RnnLab.Bench;

/// <summary>TPE ask latency against the number of finished trials, and TPE against random search on the bench objective.</summary>
internal static class TpeBench
{
    public static void AskLatency(TextWriter output)
    {
        output.WriteLine("TPE ask latency (one tell + one ask per step, 5 parameters, CPU time):");
        output.WriteLine($"  {"finished",9} {"ms/ask",9} {"asks/s",9}");
        foreach (var finished in new[] { 100, 1_000, 10_000 })
        {
            var sampler = new TpeSampler(FanovaBenchObjective.Spec.Space, FanovaBenchObjective.Spec.Metric, seed: 1);
            foreach (var trial in FanovaBenchObjective.Trials(finished, seed: 3))
            {
                sampler.Tell(trial);
            }

            var noise = new SeededRandom(4);
            sampler.Ask();
            var step = finished;
            var milliseconds = FanovaBenchClock.Measure(() =>
            {
                var proposal = sampler.Ask()!;
                sampler.Tell(new TrialSnapshot(step++, proposal, TrialState.Completed, FanovaBenchObjective.Nll(proposal, noise)));
            }, repetitions: 30).CpuSeconds * 1000;
            output.WriteLine($"  {finished,9} {milliseconds,9:F2} {1000 / milliseconds,9:F0}");
        }
    }

    public static void AgainstRandom(TextWriter output, int seeds = 20, int trials = 100)
    {
        var tpeBest = new List<double>();
        var randomBest = new List<double>();
        for (var seed = 1; seed <= seeds; seed++)
        {
            tpeBest.Add(Best(new TpeSampler(FanovaBenchObjective.Spec.Space, FanovaBenchObjective.Spec.Metric, seed), trials, seed));
            randomBest.Add(Best(new RandomSampler(FanovaBenchObjective.Spec.Space, seed), trials, seed));
        }

        var wins = tpeBest.Zip(randomBest).Count(pair => pair.First < pair.Second);
        output.WriteLine($"TPE vs random on the bench objective ({seeds} seeds × {trials} trials, best valid.nll, lower is better):");
        output.WriteLine($"  TPE    mean {tpeBest.Average():F4}  median {Median(tpeBest):F4}");
        output.WriteLine($"  random mean {randomBest.Average():F4}  median {Median(randomBest):F4}");
        output.WriteLine($"  TPE better on {wins} of {seeds} seeds");
    }

    private static double Best(ISampler sampler, int trials, int seed)
    {
        var noise = new SeededRandom(seed, stream: 99);
        var best = double.PositiveInfinity;
        for (var i = 0; i < trials; i++)
        {
            var proposal = sampler.Ask()!;
            var value = FanovaBenchObjective.Nll(proposal, noise);
            best = Math.Min(best, value);
            sampler.Tell(new TrialSnapshot(i, proposal, TrialState.Completed, value));
        }

        return best;
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }
}
