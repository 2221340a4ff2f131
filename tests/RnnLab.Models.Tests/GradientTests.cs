using RnnLab.CellGraphs;
using RnnLab.Models.Kernels;
using TorchSharp;
using static TorchSharp.torch;

namespace RnnLab.Models.Tests;

public sealed class GradientTests
{
    public GradientTests() => set_num_threads(1);

    public static TheoryData<string, bool> CellsAndDirections()
    {
        var data = new TheoryData<string, bool>();
        foreach (var cell in CellNames.All)
        {
            data.Add(cell, false);
            data.Add(cell, true);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(CellsAndDirections))]
    public void Stacked_network_gradients_match_finite_differences(string cell, bool bidirectional)
    {
        using var net = GradientCheck.Network(cell, layers: 2, bidirectional);
        manual_seed(11);
        var x = randn(5, 3, 3, float64);
        var weights = randn(5, 3, 2, float64);
        var error = GradientCheck.FiniteDifferenceError(net, x, GradientCheck.LengthMask(), weights);
        Assert.True(error < 1e-6, $"{cell}: max |analytic − numeric| = {error}");
    }

    [Theory]
    [MemberData(nameof(CellsAndDirections))]
    public void Sequence_kernel_gradients_equal_autograd_of_the_reference_steps(string cell, bool bidirectional)
    {
        // The tensor-op step loops; ManagedStepLoopTests covers the managed ones.
        using var _ = ManagedStepLoops.Force(false);
        GradientCheck.AssertKernelEqualsReference(cell, bidirectional);
    }
}
