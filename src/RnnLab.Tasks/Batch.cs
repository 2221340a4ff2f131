using TorchSharp;
using static TorchSharp.torch;

namespace RnnLab.Tasks;

/// <summary>One batch, time-major. <see cref="Input"/> is [T,B,F] float or [T,B] int64 tokens;
/// <see cref="Mask"/> is [T,B] float with 1 for real steps; <see cref="Target"/> is [T,B,O] float, [T,B] int64,
/// or [B,O] for last-step tasks. <see cref="ContinuesState"/> says the batch's rows continue the previous
/// batch's streams, so a trainer should carry the recurrent state over.</summary>
public sealed class Batch : IDisposable
{
    public Batch(Tensor input, Tensor target, Tensor mask, bool continuesState, bool perStepTarget, bool padded = false)
    {
        Padded = padded;
        Input = input;
        Target = target;
        Mask = mask;
        ContinuesState = continuesState;
        PerStepTarget = perStepTarget;
    }

    public Tensor Input { get; }

    public Tensor Target { get; }

    public Tensor Mask { get; }

    /// <summary>For sequence-to-sequence tasks: the decoder's input [T',B] int64 (the target shifted right behind a
    /// begin token, teacher forcing); <see cref="Input"/> and <see cref="Mask"/> are then the source's.</summary>
    public Tensor? DecoderInput { get; init; }

    public bool ContinuesState { get; }

    /// <summary>True when <see cref="Target"/> has a time axis (and can be cut with the input).</summary>
    public bool PerStepTarget { get; }

    /// <summary>True when some rows are padded; otherwise the mask is all ones and may be left out.</summary>
    public bool Padded { get; }

    public long Steps => Input.shape[0];

    public long Size => Input.shape[1];

    /// <summary>Steps [start, start+length) of this batch, for truncated BPTT. Last-step targets are kept whole.</summary>
    public Batch Slice(long start, long length)
    {
        var target = PerStepTarget ? Target.narrow(0, start, length) : Target.alias();
        return new Batch(Input.narrow(0, start, length), target, Mask.narrow(0, start, length), ContinuesState, PerStepTarget, Padded);
    }

    public void Dispose()
    {
        Input.Dispose();
        Target.Dispose();
        Mask.Dispose();
        DecoderInput?.Dispose();
    }
}
