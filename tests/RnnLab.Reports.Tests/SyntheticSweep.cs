using RnnLab.Sweeps.Parameters;
using RnnLab.Sweeps.Sampling;
using RnnLab.Sweeps.Spec;
using RnnLab.Sweeps.Trials;

namespace RnnLab.Reports.Tests;

/// <summary>
/// An Odyssey-shaped sweep with known structure: the metric rises with |log10(lr) + 3|, lstm-nfg is 3 nats worse than
/// every other cell, and the rest is seeded noise. Trials are sampled by the spec's own sampler.
/// </summary>
internal static class SyntheticSweep
{
    public const string SpecText = """
        name: synthetic-odyssey
        task: jsb-chorales
        metric: { name: valid.nll, direction: minimize }
        fixed: { optimizer: sgd, batch: 1 }
        search:
          sampler: { type: stratified, by: cell, seed: 11 }
          space:
            cell: { categorical: [lstm, lstm-nfg, lstm-nig, lstm-cifg] }
            lr: { loguniform: [1.0e-6, 1.0e-2] }
            hidden: { int_log: [20, 200] }
            momentum: { one_minus_loguniform: [0.01, 1.0] }
        budget: { trials_per_stratum: 16 }
        seed: 11
        """;

    public static ReportInput Input(int divergedNfg = 1)
    {
        var spec = SweepSpec.ParseOrThrow(SpecText);
        var sampler = SamplerFactory.Create(spec);
        var random = new Random(5);
        var start = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        var trials = new List<ReportTrial>();
        for (var i = 0; i < spec.Budget.Trials; i++)
        {
            var parameters = sampler.Ask()!;
            var cell = parameters["cell"].AsString();
            var valid = 8 + Math.Abs(Math.Log10(parameters["lr"].AsDouble()) + 3) + (cell == "lstm-nfg" ? 3 : 0) + random.NextDouble() * 0.5;
            var test = valid + 0.1 + random.NextDouble() * 0.2;
            var diverged = cell == "lstm-nfg" && divergedNfg-- > 0;
            trials.Add(new ReportTrial(
                i,
                diverged ? TrialState.Diverged : TrialState.Completed,
                parameters,
                diverged ? null : valid,
                diverged ? new Dictionary<string, double>() : new Dictionary<string, double> { ["valid.nll"] = valid, ["test.nll"] = test },
                10,
                start.AddMinutes(i),
                start.AddMinutes(i + 2),
                "worker-a"));
        }

        return new ReportInput(new ReportSweep("s-1", spec.Name, "Completed", SpecText, start, start.AddHours(1)), spec, trials, "test machine");
    }

    public static IReadOnlyList<TrialSnapshot> Snapshots(ReportInput input, string? metric = null) => input.Trials
        .Select(t => new TrialSnapshot(t.Number, t.Parameters, t.State, metric is null ? t.Objective : t.Metrics.TryGetValue(metric, out var v) ? v : null))
        .ToList();
}
