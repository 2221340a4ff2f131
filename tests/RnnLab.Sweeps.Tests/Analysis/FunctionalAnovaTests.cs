using RnnLab.Sweeps.Analysis.Fanova;

namespace RnnLab.Sweeps.Tests.Analysis;

public class FunctionalAnovaTests
{
    private static readonly FeatureSpec[] _unitCube =
    [
        new("x1", 0, 1), new("x2", 0, 1), new("x3", 0, 1), new("x4", 0, 1),
    ];

    private static (List<double[]> X, List<double> Y) Sample(int n, int seed, Func<double[], double> f, IReadOnlyList<FeatureSpec> features)
    {
        var random = new Random(seed);
        var x = new List<double[]>();
        var y = new List<double>();
        for (var i = 0; i < n; i++)
        {
            var row = features.Select(feature => feature.IsCategorical
                ? random.Next(feature.Categories)
                : feature.Low + random.NextDouble() * (feature.High - feature.Low)).ToArray();
            x.Add(row);
            y.Add(f(row));
        }

        return (x, y);
    }

    [Fact]
    public void Fractions_match_the_closed_form_decomposition()
    {
        // f = a·x1 + b·x2² + c·x1·x3 on the unit cube, x4 inert. With a, b, c = 1, 2, 3:
        // V1 = (a + c/2)²/12, V2 = 4b²/45, V3 = c²/48, V13 = c²/144.
        const double a = 1, b = 2, c = 3;
        var v1 = (a + c / 2) * (a + c / 2) / 12;
        var v2 = 4 * b * b / 45;
        var v3 = c * c / 48;
        var v13 = c * c / 144;
        var total = v1 + v2 + v3 + v13;
        var (x, y) = Sample(2000, seed: 1, row => a * row[0] + b * row[1] * row[1] + c * row[0] * row[2], _unitCube);

        var anova = FunctionalAnova.Fit(x, y, _unitCube, new ForestOptions(Trees: 32, Seed: 1));

        const double tolerance = 0.03;
        Assert.Equal(v1 / total, anova.MainEffect(0).Mean, tolerance);
        Assert.Equal(v2 / total, anova.MainEffect(1).Mean, tolerance);
        Assert.Equal(v3 / total, anova.MainEffect(2).Mean, tolerance);
        Assert.Equal(0, anova.MainEffect(3).Mean, tolerance);
        Assert.Equal(v13 / total, anova.PairEffect(0, 2).Mean, tolerance);
        Assert.Equal(0, anova.PairEffect(0, 1).Mean, tolerance);
        Assert.Equal(0, anova.PairEffect(1, 2).Mean, tolerance);
    }

    [Fact]
    public void A_purely_additive_function_has_no_interactions_and_fractions_sum_to_one()
    {
        var (x, y) = Sample(1500, seed: 2, row => Math.Sin(3 * row[0]) + 2 * row[1] + (row[3] > 0.5 ? 1 : 0), _unitCube);

        var anova = FunctionalAnova.Fit(x, y, _unitCube, new ForestOptions(Trees: 16, Seed: 2));

        var main = Enumerable.Range(0, 4).Sum(f => anova.MainEffect(f).Mean);
        var pairs = Enumerable.Range(0, 4).SelectMany(f => Enumerable.Range(f + 1, 3 - f).Select(g => anova.PairEffect(f, g).Mean)).Sum();
        Assert.InRange(main, 0.9, 1.0 + 1e-9);
        Assert.InRange(pairs, 0, 0.1);
        Assert.InRange(main + pairs, 0.97, 1.0 + 1e-9);
    }

    [Fact]
    public void Categorical_features_are_split_by_subsets()
    {
        // Category effects {0: 0, 1: 3, 2: 0, 3: 3}: no ordering of the codes separates them with one threshold.
        FeatureSpec[] features = [new("cell", 0, 3, Categories: 4), new("x", 0, 1)];
        var (x, y) = Sample(800, seed: 3, row => ((int)row[0] % 2 == 1 ? 3 : 0) + 0.5 * row[1], features);

        var anova = FunctionalAnova.Fit(x, y, features, new ForestOptions(Trees: 8, Seed: 3));

        // Var(category) = 2.25, Var(0.5·x) = 0.25/12.
        var expected = 2.25 / (2.25 + 0.25 / 12);
        Assert.Equal(expected, anova.MainEffect(0).Mean, 0.01);
        var curve = anova.MarginalCurve(0, [0, 1, 2, 3]);
        Assert.Equal(0.25, curve[0].Mean, 0.1);
        Assert.Equal(3.25, curve[1].Mean, 0.1);
        Assert.Equal(0.25, curve[2].Mean, 0.1);
        Assert.Equal(3.25, curve[3].Mean, 0.1);
    }

    [Fact]
    public void Tree_decomposition_equals_brute_force_integration_over_the_trees_own_cells()
    {
        // A deep tree on rough data; integrate its prediction exactly on the product of its split cells.
        FeatureSpec[] features = [new("a", 0, 1), new("b", -2, 3), new("c", 0, 2, Categories: 3)];
        var (x, y) = Sample(120, seed: 4, row => Math.Sin(7 * row[0]) * row[1] + row[2] * row[1] * row[1], features);
        var forest = RandomForest.Fit(x, y, features, new ForestOptions(Trees: 1, Seed: 4));
        var tree = forest.Trees[0];
        var anova = new FunctionalAnova(forest);

        var cells = new double[3][];
        var weights = new double[3][];
        for (var f = 0; f < 2; f++)
        {
            var edges = Enumerable.Range(0, tree.NodeCount).Where(node => tree.Feature[node] == f).Select(node => tree.Threshold[node])
                .Append(features[f].Low).Append(features[f].High).Distinct().Order().ToArray();
            cells[f] = edges.Zip(edges.Skip(1), (low, high) => (low + high) / 2).ToArray();
            weights[f] = edges.Zip(edges.Skip(1), (low, high) => (high - low) / (features[f].High - features[f].Low)).ToArray();
        }

        cells[2] = [0, 1, 2];
        weights[2] = [1.0 / 3, 1.0 / 3, 1.0 / 3];

        var grid = new double[cells[0].Length, cells[1].Length, 3];
        double mean = 0;
        for (var i = 0; i < cells[0].Length; i++)
        {
            for (var j = 0; j < cells[1].Length; j++)
            {
                for (var k = 0; k < 3; k++)
                {
                    grid[i, j, k] = tree.Predict([cells[0][i], cells[1][j], cells[2][k]], features);
                    mean += weights[0][i] * weights[1][j] * weights[2][k] * grid[i, j, k];
                }
            }
        }

        double total = 0;
        var marginals = new double[3][];
        for (var f = 0; f < 3; f++)
        {
            marginals[f] = new double[cells[f].Length];
        }

        for (var i = 0; i < cells[0].Length; i++)
        {
            for (var j = 0; j < cells[1].Length; j++)
            {
                for (var k = 0; k < 3; k++)
                {
                    var deviation = grid[i, j, k] - mean;
                    total += weights[0][i] * weights[1][j] * weights[2][k] * deviation * deviation;
                    marginals[0][i] += weights[1][j] * weights[2][k] * deviation;
                    marginals[1][j] += weights[0][i] * weights[2][k] * deviation;
                    marginals[2][k] += weights[0][i] * weights[1][j] * deviation;
                }
            }
        }

        for (var f = 0; f < 3; f++)
        {
            var variance = marginals[f].Select((m, c) => weights[f][c] * m * m).Sum();
            Assert.Equal(variance / total, anova.MainEffect(f).Mean, 1e-9);
            Assert.Equal(mean + marginals[f][0], anova.MarginalAt(f, cells[f][0]).Mean, 1e-9);
        }

        // Pair (b, c): the two-way marginal's variance minus both main effects.
        double pair = 0;
        for (var j = 0; j < cells[1].Length; j++)
        {
            for (var k = 0; k < 3; k++)
            {
                double m = 0;
                for (var i = 0; i < cells[0].Length; i++)
                {
                    m += weights[0][i] * (grid[i, j, k] - mean);
                }

                pair += weights[1][j] * weights[2][k] * m * m;
            }
        }

        var mainB = marginals[1].Select((m, c) => weights[1][c] * m * m).Sum();
        var mainC = marginals[2].Select((m, c) => weights[2][c] * m * m).Sum();
        Assert.Equal((pair - mainB - mainC) / total, anova.PairEffect(1, 2).Mean, 1e-9);
    }

    [Fact]
    public void The_same_seed_gives_the_same_forest()
    {
        var (x, y) = Sample(300, seed: 5, row => row[0] + row[1] * row[2], _unitCube);

        var first = FunctionalAnova.Fit(x, y, _unitCube, new ForestOptions(Trees: 8, Seed: 9));
        var second = FunctionalAnova.Fit(x, y, _unitCube, new ForestOptions(Trees: 8, Seed: 9));
        var other = FunctionalAnova.Fit(x, y, _unitCube, new ForestOptions(Trees: 8, Seed: 10));

        Assert.Equal(first.MainEffect(0), second.MainEffect(0));
        Assert.NotEqual(first.MainEffect(0), other.MainEffect(0));
    }
}
