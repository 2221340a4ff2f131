using RnnLab.Sweeps.Parameters;
using RnnLab.Sweeps.Sampling;
using RnnLab.Sweeps.Spec;
using RnnLab.Sweeps.Trials;

namespace RnnLab.Bench;

/// <summary>
/// The bench's trials: an Odyssey-like validation NLL over five hyperparameters (learning rate dominant in log
/// scale, then hidden size, input noise, momentum, and a weak initial scale, with one lr × hidden interaction and
/// observation noise), drawn by random search as the Odyssey did.
/// </summary>
internal static class FanovaBenchObjective
{
    public static readonly SweepSpec Spec = SweepSpec.ParseOrThrow("""
        name: fanova-bench
        task: jsb-chorales
        metric: { name: valid.nll, direction: minimize }
        fixed: { cell: lstm, optimizer: sgd }
        search:
          sampler: { type: random, seed: 2015 }
          space:
            lr: { loguniform: [1.0e-6, 1.0e-2] }
            hidden: { int: [20, 200] }
            momentum: { uniform: [0, 0.99] }
            input_noise: { uniform: [0, 1] }
            init_scale: { loguniform: [0.01, 1] }
        budget: { trials: 5400 }
        """);

    public static readonly string[] Parameters = ["lr", "hidden", "momentum", "input_noise", "init_scale"];

    public static double Nll(ParameterSet parameters, SeededRandom noise)
    {
        var u = Math.Log10(parameters.GetDouble("lr")) + 3;
        var h = (parameters.GetLong("hidden") - 20) / 180.0;
        var momentum = parameters.GetDouble("momentum");
        var inputNoise = parameters.GetDouble("input_noise");
        var scale = Math.Log10(parameters.GetDouble("init_scale")) + 1.5;
        return 8.4 + 0.45 * u * u - 0.9 * h + 0.3 * u * h + 0.6 * (momentum - 0.9) * (momentum - 0.9) +
               1.2 * inputNoise * inputNoise + 0.05 * scale * scale + 0.05 * noise.NextNormal();
    }

    public static List<TrialSnapshot> Trials(int count, long seed = 2015)
    {
        var sampler = new RandomSampler(Spec.Space, seed);
        var noise = new SeededRandom(seed, stream: -7);
        return Enumerable.Range(0, count).Select(i =>
        {
            var parameters = sampler.Ask()!;
            return new TrialSnapshot(i, parameters, TrialState.Completed, Nll(parameters, noise));
        }).ToList();
    }
}
