using static TorchSharp.torch;

namespace RnnLab.Models.Kernels;

/// <summary>
/// Per-step masks [B,1] for the kernels: a padded step keeps the state (s = s_new·m + s·(1−m), exact for m ∈ {0,1})
/// and outputs zero.
/// </summary>
internal sealed class StepMask
{
    private StepMask(Tensor[] keep, Tensor[] hold)
    {
        Keep = keep;
        Hold = hold;
    }

    /// <summary>m per step.</summary>
    public Tensor[] Keep { get; }

    /// <summary>1 − m per step.</summary>
    public Tensor[] Hold { get; }

    public static StepMask? From(Tensor? mask) => mask is null ? null : new StepMask(mask.unbind(0), ones_like(mask).sub_(mask).unbind(0));

    /// <summary>state ← state·m + previous·(1−m), in place.</summary>
    public void Blend(int t, Tensor state, Tensor previous) => state.mul_(Keep[t]).addcmul_(previous, Hold[t], Scalars.One);
}
