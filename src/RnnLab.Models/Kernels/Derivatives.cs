using static TorchSharp.torch;

namespace RnnLab.Models.Kernels;

/// <summary>In-place chain-rule factors of the activations, written with a scratch buffer so no step allocates.</summary>
internal static class Derivatives
{
    /// <summary>d ← d ⊙ s ⊙ (1 − s) for s = σ(·).</summary>
    public static void Sigmoid(Tensor d, Tensor s, Tensor scratch)
    {
        d.mul_(s);
        d.sub_(scratch.copy_(d).mul_(s));
    }

    /// <summary>d ← d ⊙ (1 − y²) for y = tanh(·).</summary>
    public static void Tanh(Tensor d, Tensor y, Tensor scratch) => d.sub_(scratch.copy_(d).mul_(y).mul_(y));
}
