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
        using var net = GradientCheck.Network(cell, layers: 2, bidirectional);
        manual_seed(12);
        var x = randn(5, 3, 3, float64);
        var weights = randn(5, 3, 2, float64);
        foreach (var mask in new[] { null, GradientCheck.LengthMask() })
        {
            net.UseKernels(true);
            var (kernelGrads, kernelInput) = GradientCheck.Gradients(net, x, mask, weights);
            var kernelLoss = GradientCheck.Loss(net, x, mask, weights).item<double>();
            net.UseKernels(false);
            var (referenceGrads, referenceInput) = GradientCheck.Gradients(net, x, mask, weights);
            var referenceLoss = GradientCheck.Loss(net, x, mask, weights).item<double>();

            Assert.Equal(referenceLoss, kernelLoss, 1e-10);
            Assert.True(GradientCheck.MaxDifference(kernelInput, referenceInput) < 1e-10, $"{cell}: input gradient differs");
            var names = net.named_parameters().Select(p => p.name).ToArray();
            for (var p = 0; p < kernelGrads.Length; p++)
            {
                var diff = GradientCheck.MaxDifference(kernelGrads[p], referenceGrads[p]);
                Assert.True(diff < 1e-10, $"{cell}: gradient of {names[p]} differs by {diff} (mask: {mask is not null})");
            }
        }
    }
}
