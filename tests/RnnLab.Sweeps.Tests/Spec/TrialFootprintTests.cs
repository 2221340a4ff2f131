using RnnLab.Sweeps.Spec;

namespace RnnLab.Sweeps.Tests.Spec;

public class TrialFootprintTests
{
    private static SweepSpec Spec(string fixedValues, string space, string task = "{ name: adding, options: { length: 100 } }") => SweepSpec.ParseOrThrow($$"""
        name: footprint
        task: {{task}}
        metric: { name: valid.loss, direction: minimize }
        fixed: { {{fixedValues}} }
        search:
          sampler: { type: random, seed: 1 }
          space:
            {{space}}
        budget: { trials: 4 }
        """);

    [Fact]
    public void The_estimate_takes_the_largest_value_the_space_can_sample()
    {
        var footprint = TrialFootprint.Estimate(Spec("batch: 32, layers: 2", "hidden: { int: [20, 512] }\n    bidirectional: { categorical: [false, true] }"));

        Assert.Equal((100, 32, 512, 2, 2, 12_000L), (footprint.Sequence, footprint.Batch, footprint.Hidden, footprint.Layers, footprint.Directions, footprint.Examples));
        var expected = 4.0 * (100.0 * 32 * 512 * 2 * 2 * 10 + 2.0 * 2 * 4 * 512 * 1025 * 4 + 12_000.0 * 100 * 2);
        Assert.Equal((long)expected, footprint.Bytes);
    }

    [Fact]
    public void A_huge_configuration_is_estimated_without_overflow_and_reads_well()
    {
        var footprint = TrialFootprint.Estimate(Spec("batch: 65536, layers: 16, bptt: 10000", "hidden: { int: [20, 4096] }",
            "{ name: adding, options: { train_size: 9000000000000000000 } }"));

        Assert.Equal(long.MaxValue, footprint.Bytes);
        Assert.Contains("GiB (sequence 10000 × batch 65536 × hidden 4096 × layers 16 × 1 direction(s)", footprint.ToString());
    }
}
