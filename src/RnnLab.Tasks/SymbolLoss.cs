using TorchSharp;
using static TorchSharp.torch;

namespace RnnLab.Tasks;

/// <summary>Cross-entropy over symbol targets, summed with the number of targets it counted, in the two ways tasks mark
/// the steps that count: a mask of weights, or the target <see cref="Ignored"/>.</summary>
public static class SymbolLoss
{
    /// <summary>The target of a step that does not count.</summary>
    public const long Ignored = -100;

    // Rooted for good: a number converted to a temporary Scalar at the call could be finalized by another thread's
    // collection while libtorch reads it.
    private static readonly Scalar IgnoredScalar = Ignored;

    /// <summary>Cross-entropy of every step weighted by the batch's mask; the count is the mask's sum.</summary>
    public static BatchLoss Masked(Tensor output, Batch batch)
    {
        using var scope = torch.NewDisposeScope();
        var classes = output.shape[^1];
        var perStep = nn.functional.cross_entropy(output.reshape(-1, classes), batch.Target.reshape(-1), reduction: nn.Reduction.None);
        var mask = batch.Mask.reshape(-1);
        var sum = (perStep * mask).sum();
        return new BatchLoss(sum.MoveToOuterDisposeScope(), (long)mask.sum().item<float>());
    }

    /// <summary>Cross-entropy of the steps whose target is not <see cref="Ignored"/>; the count is their number.</summary>
    public static BatchLoss SkippingIgnored(Tensor output, Batch batch)
    {
        using var scope = torch.NewDisposeScope();
        var classes = output.shape[^1];
        var sum = nn.functional.cross_entropy(output.reshape(-1, classes), batch.Target.reshape(-1), ignore_index: Ignored, reduction: nn.Reduction.Sum);
        return new BatchLoss(sum.MoveToOuterDisposeScope(), CountedTargets(batch).sum().item<long>());
    }

    /// <summary>Where the batch's targets count (not <see cref="Ignored"/>).</summary>
    public static Tensor CountedTargets(Batch batch) => batch.Target.ne(IgnoredScalar);
}
