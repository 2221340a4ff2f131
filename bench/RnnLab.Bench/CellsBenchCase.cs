using TorchSharp;
using static TorchSharp.torch;

namespace RnnLab.Bench;

/// <summary>One timed configuration: a recurrent layer, its training step, and its matmul arithmetic.</summary>
internal sealed class CellsBenchCase(string name, string baseline, nn.Module module, Func<Tensor, Tensor> forward, optim.Optimizer optimizer)
{
    public string Name { get; } = name;

    /// <summary>The native module this case is compared with ("" for the native modules themselves).</summary>
    public string Baseline { get; } = baseline;

    public List<double> Milliseconds { get; } = [];

    /// <summary>
    /// Matmul FLOPs of one training step: every weight matrix meets all T·B vectors once forward and twice backward
    /// (input and weight gradients), 2 FLOPs per multiply-add. Elementwise work is not counted.
    /// </summary>
    public double Flops(long steps, long batch) =>
        3.0 * 2.0 * steps * batch * module.parameters().Where(p => p.dim() == 2).Sum(p => (double)p.numel());

    public void Step(Tensor x)
    {
        using var scope = NewDisposeScope();
        optimizer.zero_grad();
        var output = forward(x);
        output.square().mean().backward();
        optimizer.step();
    }
}
