using TorchSharp;

namespace RnnLab.Tasks;

/// <summary>A batch's summed loss (a differentiable scalar) and the number of units it covers.</summary>
public readonly record struct BatchLoss(torch.Tensor Sum, long Count);
