using RnnLab.Sweeps.Parameters;
using RnnLab.Sweeps.Sampling;
using RnnLab.Sweeps.Spec;
using RnnLab.Sweeps.Trials;

namespace RnnLab.Sweeps.Tests.Sampling;

public class SamplerBehaviourTests
{
    [Fact]
    public void Stratified_search_balances_the_strata()
    {
        var sampler = SamplerFactory.Create(SamplerConformanceTests.SpecFor("stratified"));

        var cells = Enumerable.Range(0, 300).Select(_ => sampler.Ask()!.GetString("cell")).ToList();

        Assert.All(cells.GroupBy(cell => cell), group => Assert.Equal(100, group.Count()));
        for (var prefix = 1; prefix <= cells.Count; prefix += 17)
        {
            var counts = cells.Take(prefix).GroupBy(cell => cell).Select(group => group.Count()).ToList();
            Assert.True(counts.Max() - (counts.Count < 3 ? 0 : counts.Min()) <= 1);
        }
    }

    [Fact]
    public void The_grid_visits_every_point_once_then_is_exhausted()
    {
        var spec = SamplerConformanceTests.SpecFor("grid");
        var sampler = SamplerFactory.Create(spec);

        var points = new List<ParameterSet>();
        while (sampler.Ask() is { } point)
        {
            points.Add(point);
        }

        // cells(3) × lr(3) × hidden(3) × [adam + sgd × momentum(3)] with forget_bias(3) only for lstm: (2+1·3)·(4)·9.
        Assert.Equal(9 * 4 * 5, points.Count);
        Assert.Equal(points.Count, points.Distinct().Count());
        Assert.Equal(new[] { 1e-5, 1e-3, 1e-1 }, points.Select(point => point.GetDouble("lr")).Distinct().Order()
            .Select(value => Math.Round(value, 12)));
        Assert.Null(sampler.Ask());
    }

    [Fact]
    public void Scrambled_sobol_points_form_a_net()
    {
        // The first 2^m points put exactly one point in each of the 2^m elementary boxes of every shape
        // (2^a × 2^(m-a)) in the first two dimensions, and one per 2^-m interval in every single dimension.
        const int m = 8;
        var sequence = new SobolSequence(dimensions: 6, seed: 42);
        var points = Enumerable.Range(0, 1 << m).Select(i => sequence.Point(i)).ToList();

        for (var a = 0; a <= m; a++)
        {
            var boxes = points.Select(p => ((int)(p[0] * (1 << a)), (int)(p[1] * (1 << (m - a))))).ToList();
            Assert.Equal(1 << m, boxes.Distinct().Count());
        }

        for (var d = 0; d < 6; d++)
        {
            Assert.Equal(1 << m, points.Select(p => (int)(p[d] * (1 << m))).Distinct().Count());
        }

        Assert.NotEqual(points[1][0], new SobolSequence(6, seed: 43).Point(1)[0]);
    }

    [Fact]
    public void Unscrambled_sobol_matches_the_textbook_points()
    {
        var sequence = new SobolSequence(dimensions: 3, seed: 0, scramble: false);

        // Point n is the binary (not Gray-code) index, so points 2 and 3 are the published 3 and 2.
        Assert.Equal([0.5, 0.5, 0.5], sequence.Point(1));
        Assert.Equal([0.25, 0.75, 0.75], sequence.Point(2));
        Assert.Equal([0.75, 0.25, 0.25], sequence.Point(3));
    }

    [Fact]
    public void Tpe_beats_random_search_on_a_benchmark_objective()
    {
        var tpeWins = 0;
        var tpeTotal = 0.0;
        var randomTotal = 0.0;
        for (var seed = 1; seed <= 5; seed++)
        {
            var tpe = BestAfter(SamplerFactory.Create(SamplerConformanceTests.SpecFor("tpe", seed)), 80);
            var random = BestAfter(SamplerFactory.Create(SamplerConformanceTests.SpecFor("random", seed)), 80);
            tpeWins += tpe < random ? 1 : 0;
            tpeTotal += tpe;
            randomTotal += random;
        }

        Assert.True(tpeWins >= 4, $"TPE won {tpeWins} of 5");
        Assert.True(tpeTotal < randomTotal / 2, $"mean best: TPE {tpeTotal / 5}, random {randomTotal / 5}");
    }

    [Fact]
    public void Tpe_learns_to_avoid_a_diverging_region()
    {
        var spec = SamplerConformanceTests.SpecFor("tpe");
        var sampler = SamplerFactory.Create(spec);
        var late = new List<double>();
        for (var i = 0; i < 80; i++)
        {
            var proposal = sampler.Ask()!;
            var lr = proposal.GetDouble("lr");
            var diverged = lr > 1e-2;
            sampler.Tell(new TrialSnapshot(i, proposal, diverged ? TrialState.Diverged : TrialState.Completed,
                diverged ? null : SamplerConformanceTests.Objective(proposal)));
            if (i >= 40)
            {
                late.Add(lr);
            }
        }

        // Random search would put a quarter of its learning rates above 1e-2 (one decade of four).
        Assert.True(late.Count(lr => lr > 1e-2) <= 4, $"{late.Count(lr => lr > 1e-2)} of 40 late proposals diverge");
    }

    private static double BestAfter(ISampler sampler, int trials)
    {
        var best = double.PositiveInfinity;
        for (var i = 0; i < trials; i++)
        {
            var proposal = sampler.Ask()!;
            var value = SamplerConformanceTests.Objective(proposal);
            best = Math.Min(best, value);
            sampler.Tell(new TrialSnapshot(i, proposal, TrialState.Completed, value));
        }

        return best;
    }
}
