using RnnLab.Sweeps.Analysis.Fanova;

namespace RnnLab.Sweeps.Tests.Analysis;

public class TreePartitionTests
{
    [Fact]
    public void Grid_and_sweep_give_the_same_pair_variance()
    {
        FeatureSpec[] features = [new("a", 0, 1), new("b", 0, 5, Categories: 6), new("c", -1, 1)];
        var random = new Random(8);
        var x = Enumerable.Range(0, 400).Select(_ => new double[] { random.NextDouble(), random.Next(6), 2 * random.NextDouble() - 1 }).ToList();
        var y = x.Select(row => Math.Sin(5 * row[0]) * row[2] + (row[1] % 3) * row[0] + random.NextDouble() * 0.1).ToList();
        var forest = RandomForest.Fit(x, y, features, new ForestOptions(Trees: 4, Seed: 8));

        foreach (var tree in forest.Trees)
        {
            var partition = new TreePartition(tree, features);
            foreach (var (f, g) in new[] { (0, 1), (1, 0), (0, 2), (2, 0), (1, 2) })
            {
                var grid = partition.GridMarginalVariance(f, g);
                Assert.True(grid > 0);
                Assert.Equal(grid, partition.SweepMarginalVariance(f, g), grid * 1e-9);
            }
        }
    }
}
