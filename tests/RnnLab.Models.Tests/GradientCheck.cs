using TorchSharp;
using static TorchSharp.torch;

namespace RnnLab.Models.Tests;

/// <summary>Gradients of a fixed scalar loss of a network, by backprop and by central finite differences (float64).</summary>
internal static class GradientCheck
{
    public static RecurrentNetwork Network(string cell, int layers, bool bidirectional, HeadKind head = HeadKind.PerStepSigmoid)
    {
        manual_seed(7);
        var net = new RecurrentNetwork(new NetworkOptions
        {
            Cell = cell, InputSize = 3, HiddenSize = 4, Layers = layers, Bidirectional = bidirectional, OutputSize = 2,
            Head = head, InitScale = 0.5, ForgetBias = 0.3,
        });
        net.to(float64);
        return net;
    }

    /// <summary>A loss touching every output and the final state, so every path gets a gradient.</summary>
    public static Tensor Loss(RecurrentNetwork net, Tensor x, Tensor? mask, Tensor weights)
    {
        var (output, state) = net.Forward(x, mask);
        var loss = (output * weights).sum();
        foreach (var t in state.Layers.SelectMany(l => l).SelectMany(d => d))
        {
            loss = loss + t.sin().sum() * 0.5;
        }

        return loss;
    }

    public static (Tensor[] ParamGrads, Tensor InputGrad) Gradients(RecurrentNetwork net, Tensor x, Tensor? mask, Tensor weights)
    {
        net.zero_grad();
        var input = x.detach().requires_grad_(true);
        Loss(net, input, mask, weights).backward();
        return (net.parameters().Select(p => p.grad!.clone()).ToArray(), input.grad!.clone());
    }

    /// <summary>Largest |analytic − numeric| over sampled entries of every parameter.</summary>
    public static double FiniteDifferenceError(RecurrentNetwork net, Tensor x, Tensor? mask, Tensor weights, int samplesPerParameter = 6)
    {
        var (grads, _) = Gradients(net, x, mask, weights);
        var rng = new Random(3);
        var worst = 0.0;
        var parameters = net.parameters().ToArray();
        using var _ = no_grad();
        for (var p = 0; p < parameters.Length; p++)
        {
            var flat = parameters[p].view(-1);
            var flatGrad = grads[p].view(-1);
            for (var k = 0; k < samplesPerParameter; k++)
            {
                var idx = rng.NextInt64(flat.shape[0]);
                var original = flat[idx].item<double>();
                const double eps = 1e-6;
                flat[idx] = original + eps;
                var plus = Loss(net, x, mask, weights).item<double>();
                flat[idx] = original - eps;
                var minus = Loss(net, x, mask, weights).item<double>();
                flat[idx] = original;
                var numeric = (plus - minus) / (2 * eps);
                worst = Math.Max(worst, Math.Abs(numeric - flatGrad[idx].item<double>()));
            }
        }

        return worst;
    }

    /// <summary>Batch of 3 right-padded sequences of lengths 5, 3 and 1.</summary>
    public static Tensor LengthMask() =>
        tensor(new double[,] { { 1, 1, 1 }, { 1, 1, 0 }, { 1, 1, 0 }, { 1, 0, 0 }, { 1, 0, 0 } }, float64);

    public static double MaxDifference(Tensor a, Tensor b) => (a - b).abs().max().item<double>();

    /// <summary>
    /// A stacked network's loss and every gradient (parameters and input) are the same through the sequence kernels
    /// as through autograd of the reference steps (float64), with and without padded steps.
    /// </summary>
    public static void AssertKernelEqualsReference(string cell, bool bidirectional)
    {
        using var net = Network(cell, layers: 2, bidirectional);
        manual_seed(12);
        var x = randn(5, 3, 3, float64);
        var weights = randn(5, 3, 2, float64);
        foreach (var mask in new[] { null, LengthMask() })
        {
            net.UseKernels(true);
            var (kernelGrads, kernelInput) = Gradients(net, x, mask, weights);
            var kernelLoss = Loss(net, x, mask, weights).item<double>();
            net.UseKernels(false);
            var (referenceGrads, referenceInput) = Gradients(net, x, mask, weights);
            var referenceLoss = Loss(net, x, mask, weights).item<double>();

            Assert.Equal(referenceLoss, kernelLoss, 1e-10);
            Assert.True(MaxDifference(kernelInput, referenceInput) < 1e-10, $"{cell}: input gradient differs");
            var names = net.named_parameters().Select(p => p.name).ToArray();
            for (var p = 0; p < kernelGrads.Length; p++)
            {
                var diff = MaxDifference(kernelGrads[p], referenceGrads[p]);
                Assert.True(diff < 1e-10, $"{cell}: gradient of {names[p]} differs by {diff} (mask: {mask is not null})");
            }
        }
    }
}
