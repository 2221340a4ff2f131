using RnnLab.Sweeps.Spec;
using RnnLab.Sweeps.Stopping;

namespace RnnLab.Sweeps.Tests.Stopping;

/// <summary>The contract every early-stopping rule keeps; each test runs once per rule.</summary>
public class EarlyStoppingConformanceTests
{
    public static TheoryData<string> Rules => new() { "none", "median", "asha" };

    internal static IEarlyStopping Create(string rule, MetricDirection direction = MetricDirection.Minimize) =>
        EarlyStoppingFactory.Create(
            new EarlyStoppingSpec(Enum.Parse<EarlyStoppingType>(rule, ignoreCase: true), GracePeriod: 2, ReductionFactor: 3,
                MinTrials: 3, MaxEpochs: 30),
            new MetricSpec("valid.loss", direction));

    /// <summary>40 trials of 30 epochs with decaying, noisy losses, reported interleaved and out of step.</summary>
    internal static IEnumerable<(long Trial, int Epoch, double Value)> Reports(int seed)
    {
        var random = new Random(seed);
        var floors = Enumerable.Range(0, 40).Select(_ => random.NextDouble()).ToArray();
        var epochs = new int[40];
        while (epochs.Any(epoch => epoch < 30))
        {
            var trial = random.Next(40);
            if (epochs[trial] == 30)
            {
                continue;
            }

            var epoch = ++epochs[trial];
            yield return (trial, epoch, floors[trial] + 2.0 / epoch + 0.01 * random.NextDouble());
        }
    }

    private static List<(long Trial, int Epoch, StoppingDecision Decision)> Replay(IEarlyStopping rule, IEnumerable<(long Trial, int Epoch, double Value)> reports)
    {
        var stopped = new HashSet<long>();
        var decisions = new List<(long, int, StoppingDecision)>();
        foreach (var (trial, epoch, value) in reports)
        {
            if (stopped.Contains(trial))
            {
                continue;
            }

            var decision = rule.Report(trial, epoch, value);
            decisions.Add((trial, epoch, decision));
            if (decision == StoppingDecision.Stop)
            {
                stopped.Add(trial);
            }
        }

        return decisions;
    }

    [Theory]
    [MemberData(nameof(Rules))]
    public void The_same_reports_give_the_same_decisions(string rule)
    {
        var reports = Reports(seed: 3).ToList();

        Assert.Equal(Replay(Create(rule), reports), Replay(Create(rule), reports));
    }

    [Theory]
    [MemberData(nameof(Rules))]
    public void Nothing_is_stopped_within_the_grace_period(string rule)
    {
        var decisions = Replay(Create(rule), Reports(seed: 4));

        Assert.All(decisions.Where(d => d.Epoch < 2), d => Assert.Equal(StoppingDecision.Continue, d.Decision));
    }

    [Theory]
    [MemberData(nameof(Rules))]
    public void A_diverged_trial_is_stopped(string rule)
    {
        var stopping = Create(rule);

        Assert.Equal(StoppingDecision.Stop, stopping.Report(1, 1, double.NaN));
        Assert.Equal(StoppingDecision.Stop, stopping.Report(2, 5, double.PositiveInfinity));
    }

    [Theory]
    [MemberData(nameof(Rules))]
    public void The_best_trial_runs_to_the_end(string rule)
    {
        // Trial 99 is best at every epoch, and arrives last at every epoch.
        var reports = Reports(seed: 5).ToList();
        var last = reports.Select((report, i) => (report, i)).GroupBy(x => x.report.Epoch).ToDictionary(g => g.Key, g => g.Max(x => x.i));
        var withBest = reports.Select((report, i) => (report, i)).SelectMany(x => x.i == last[x.report.Epoch]
            ? new[] { x.report, (99L, x.report.Epoch, -1.0 + 1.0 / x.report.Epoch) }
            : new[] { x.report }).ToList();

        var decisions = Replay(Create(rule), withBest);

        Assert.Equal(30, decisions.Count(d => d.Trial == 99 && d.Decision == StoppingDecision.Continue));
    }

    [Theory]
    [MemberData(nameof(Rules))]
    public void Maximised_metrics_are_judged_the_other_way_round(string rule)
    {
        var reports = Reports(seed: 6).ToList();
        var minimised = Replay(Create(rule), reports);
        var maximised = Replay(Create(rule, MetricDirection.Maximize), reports.Select(r => (r.Trial, r.Epoch, -r.Value)));

        Assert.Equal(minimised, maximised);
    }

    [Theory]
    [InlineData("median")]
    [InlineData("asha")]
    public void Stopping_rules_stop_bad_trials_and_spare_good_ones(string rule)
    {
        var reports = Reports(seed: 7).ToList();
        var decisions = Replay(Create(rule), reports);
        var stopped = decisions.Where(d => d.Decision == StoppingDecision.Stop).Select(d => d.Trial).ToHashSet();
        var finalLoss = reports.Where(r => r.Epoch == 30).ToDictionary(r => r.Trial, r => r.Value);
        var ranked = finalLoss.OrderBy(pair => pair.Value).Select(pair => pair.Key).ToList();

        Assert.True(stopped.Count >= 10, $"{rule} stopped only {stopped.Count} of 40");
        Assert.DoesNotContain(ranked[0], stopped);
        Assert.True(ranked.Take(4).Count(stopped.Contains) <= 1);
        Assert.True(ranked.TakeLast(10).Count(stopped.Contains) >= 8);
    }
}
