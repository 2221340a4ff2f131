using System.Numerics;
using System.Runtime.CompilerServices;
using RnnLab.Models.Cells;
using static TorchSharp.torch;
using Tensor = TorchSharp.torch.Tensor;

namespace RnnLab.Models.Kernels;

/// <summary>
/// The step loops of <see cref="LstmSequenceFunction"/> in managed code over the tensors' memory, for small batches
/// (see <see cref="ManagedStepLoops"/>). Same buffers and the same arithmetic as the tensor-op loops; batch rows are
/// independent, so each row runs its whole sequence in turn.
/// </summary>
internal static class LstmManagedLoops
{
    /// <summary>
    /// Forward over all rows. gates [T,B,K] holds the projected input and is overwritten with the activations; ys, cs
    /// [T+1,B,H] and gateState [T+1,B,S·H] hold the initial state at step 0; hcs [T,B,H] receives h(c), outs the masked outputs.
    /// </summary>
    public static void Forward(
        LstmVariant v, Tensor gates, Tensor ys, Tensor cs, Tensor? hcs, Tensor? gateState, Tensor? outs, Tensor? mask,
        Tensor weightHh, Tensor? weightGates, Tensor? pI, Tensor? pF, Tensor? pO)
    {
        ManagedStepLoops.Count();
        var shape = new Shape(v, gates);
        if (gates.dtype == ScalarType.Float32)
        {
            Forward(shape, Memory<float>(gates, ys, cs, hcs, gateState, outs, mask, weightHh, weightGates, pI, pF, pO));
        }
        else
        {
            Forward(shape, Memory<double>(gates, ys, cs, hcs, gateState, outs, mask, weightHh, weightGates, pI, pF, pO));
        }
    }

    /// <summary>
    /// Backward over all rows: fills dGates [T,B,K] with the gradients of the gate pre-activations and dPi, dPf, dPo
    /// (zeroed [H], present with their peepholes) with the peepholes'; dy, dc and dgs [B,·] hold the final state's
    /// gradients on entry and the initial state's on return. The weights come transposed.
    /// </summary>
    public static void Backward(
        LstmVariant v, Tensor gates, Tensor cs, Tensor? hcs, Tensor? mask, Tensor dGates, Tensor dOut,
        Tensor dy, Tensor dc, Tensor? dgs, Tensor weightHhT, Tensor? weightGatesT, Tensor? pI, Tensor? pF, Tensor? pO,
        Tensor? dPi, Tensor? dPf, Tensor? dPo)
    {
        ManagedStepLoops.Count();
        var shape = new Shape(v, gates);
        if (gates.dtype == ScalarType.Float32)
        {
            Backward(
                shape,
                Memory<float>(gates, null!, cs, hcs, null, null, mask, weightHhT, weightGatesT, pI, pF, pO),
                new Gradients<float>(dGates, dOut, dy, dc, dgs, dPi, dPf, dPo));
        }
        else
        {
            Backward(
                shape,
                Memory<double>(gates, null!, cs, hcs, null, null, mask, weightHhT, weightGatesT, pI, pF, pO),
                new Gradients<double>(dGates, dOut, dy, dc, dgs, dPi, dPf, dPo));
        }
    }

    private static SequenceMemory<T> Memory<T>(
        Tensor gates, Tensor? ys, Tensor cs, Tensor? hcs, Tensor? gateState, Tensor? outs, Tensor? mask,
        Tensor weightHh, Tensor? weightGates, Tensor? pI, Tensor? pF, Tensor? pO)
        where T : unmanaged => new()
        {
            Gates = TensorMemory.Of<T>(gates),
            Ys = TensorMemory.OfOptional<T>(ys),
            Cs = TensorMemory.Of<T>(cs),
            Hcs = TensorMemory.OfOptional<T>(hcs),
            GateState = TensorMemory.OfOptional<T>(gateState),
            Outs = TensorMemory.OfOptional<T>(outs),
            Mask = TensorMemory.OfOptional<T>(mask),
            WeightHh = TensorMemory.Of<T>(weightHh),
            WeightGates = TensorMemory.OfOptional<T>(weightGates),
            PeepholeI = TensorMemory.OfOptional<T>(pI),
            PeepholeF = TensorMemory.OfOptional<T>(pF),
            PeepholeO = TensorMemory.OfOptional<T>(pO),
        };

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Forward<T>(Shape s, SequenceMemory<T> m)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var (v, h, k, sh) = (s.Variant, s.Hidden, s.Width, s.GateWidth);
        var fgr = !m.GateState.IsEmpty;
        var masked = !m.Mask.IsEmpty;
        var scratch = LstmLanes.Scratch<T>();
        for (var b = 0; b < s.Rows; b++)
        {
            for (var t = 0; t < s.Steps; t++)
            {
                var row = t * s.Rows + b;
                var next = row + s.Rows;
                var a = m.Gates.Slice(row * k, k);
                var yPrev = m.Ys.Slice(row * h, h);
                MatrixVector.Multiply<T>(m.WeightHh, yPrev, a, accumulate: true);
                if (fgr)
                {
                    MatrixVector.Multiply<T>(m.WeightGates, m.GateState.Slice(row * sh, sh), a.Slice(h, sh), accumulate: true);
                }

                var keep = masked ? m.Mask[row] : T.One;
                new LstmLanes.Forward<T>
                {
                    Z = a[..h], I = Block(a, v.InputBlock, h), F = Block(a, v.ForgetBlock, h), O = Block(a, v.OutputBlock, h),
                    CPrev = m.Cs.Slice(row * h, h), YPrev = yPrev, PI = m.PeepholeI, PF = m.PeepholeF, PO = m.PeepholeO,
                    C = m.Cs.Slice(next * h, h), Hc = v.OutputActivation ? m.Hcs.Slice(row * h, h) : default,
                    Y = m.Ys.Slice(next * h, h), Out = masked ? m.Outs.Slice(row * h, h) : default,
                    BlockActivation = v.BlockActivation, Coupled = v.CoupledInputForget, Keep = keep,
                }.Run(scratch);

                if (fgr)
                {
                    // The gate state a padded step carries is the previous one.
                    var gs = m.GateState.Slice(next * sh, sh);
                    a.Slice(h, sh).CopyTo(gs);
                    if (masked)
                    {
                        Blend<T>(gs, m.GateState.Slice(row * sh, sh), keep);
                    }
                }
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Backward<T>(Shape s, SequenceMemory<T> m, Gradients<T> g)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var (v, h, k, sh) = (s.Variant, s.Hidden, s.Width, s.GateWidth);
        var fgr = !g.Dgs.IsEmpty;
        var masked = !m.Mask.IsEmpty;
        var scratch = LstmLanes.Scratch<T>();

        // Per-row recurrent gradients, double-buffered.
        var dy = new T[h];
        var dc = new T[h];
        var dgs = new T[fgr ? sh : 0];
        var dyNext = new T[h];
        var dcNext = new T[h];
        var dgsNext = new T[dgs.Length];
        for (var b = 0; b < s.Rows; b++)
        {
            g.Dy.Slice(b * h, h).CopyTo(dy);
            g.Dc.Slice(b * h, h).CopyTo(dc);
            if (fgr)
            {
                g.Dgs.Slice(b * sh, sh).CopyTo(dgs);
            }

            for (var t = s.Steps - 1; t >= 0; t--)
            {
                var row = t * s.Rows + b;
                var a = m.Gates.Slice(row * k, k);
                var d = g.DGates.Slice(row * k, k);
                var keep = masked ? m.Mask[row] : T.One;
                new LstmLanes.Backward<T>
                {
                    DOut = g.DOut.Slice(row * h, h), Dy = dy, Dc = dc,
                    Z = a[..h], I = Block(a, v.InputBlock, h), F = Block(a, v.ForgetBlock, h), O = Block(a, v.OutputBlock, h),
                    CPrev = m.Cs.Slice(row * h, h), C = m.Cs.Slice((row + s.Rows) * h, h),
                    Hc = v.OutputActivation ? m.Hcs.Slice(row * h, h) : m.Cs.Slice((row + s.Rows) * h, h),
                    GI = fgr ? Block<T>(dgs, v.InputBlock - 1, h) : default,
                    GF = fgr ? Block<T>(dgs, v.ForgetBlock - 1, h) : default,
                    GO = fgr ? Block<T>(dgs, v.OutputBlock - 1, h) : default,
                    PI = m.PeepholeI, PF = m.PeepholeF, PO = m.PeepholeO,
                    DZ = d[..h], DI = Block(d, v.InputBlock, h), DF = Block(d, v.ForgetBlock, h), DO = Block(d, v.OutputBlock, h),
                    DcNext = dcNext, DyNext = dyNext, DPI = g.DPi, DPF = g.DPf, DPO = g.DPo,
                    BlockActivation = v.BlockActivation, OutputActivation = v.OutputActivation, Coupled = v.CoupledInputForget,
                    Masked = masked, Keep = keep,
                }.Run(scratch);

                // dy(t−1) = dG(t)·R (plus, when padded, the pass-through already in dyNext); likewise the gate state.
                MatrixVector.Multiply<T>(m.WeightHh, d, dyNext, accumulate: masked);
                if (fgr)
                {
                    if (masked)
                    {
                        Scale<T>(dgs, T.One - keep, dgsNext);
                    }

                    MatrixVector.Multiply<T>(m.WeightGates, d.Slice(h, sh), dgsNext, accumulate: masked);
                }

                (dy, dyNext) = (dyNext, dy);
                (dc, dcNext) = (dcNext, dc);
                (dgs, dgsNext) = (dgsNext, dgs);
            }

            dy.CopyTo(g.Dy.Slice(b * h, h));
            dc.CopyTo(g.Dc.Slice(b * h, h));
            if (fgr)
            {
                dgs.CopyTo(g.Dgs.Slice(b * sh, sh));
            }
        }
    }

    /// <summary>The [H] block k of a row of stacked blocks; empty for k &lt; 0 (a gate the variant lacks).</summary>
    private static Span<T> Block<T>(Span<T> row, int k, int h) => k < 0 ? default : row.Slice(k * h, h);

    /// <summary>state ← state·m + previous·(1−m), in place.</summary>
    private static void Blend<T>(Span<T> state, ReadOnlySpan<T> previous, T keep)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (var j = 0; j < state.Length; j++)
        {
            state[j] = state[j] * keep + previous[j] * (T.One - keep);
        }
    }

    /// <summary>result ← x·k.</summary>
    private static void Scale<T>(ReadOnlySpan<T> x, T k, Span<T> result)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (var j = 0; j < x.Length; j++)
        {
            result[j] = x[j] * k;
        }
    }

    /// <summary>Sizes of one sequence: steps, rows, hidden units, gate-row width K and sigmoid-gate width S·H.</summary>
    private readonly record struct Shape(LstmVariant Variant, int Steps, int Rows, int Hidden, int Width, int GateWidth)
    {
        public Shape(LstmVariant v, Tensor gates)
            : this(
                v, (int)gates.shape[0], (int)gates.shape[1], (int)gates.shape[2] / v.Blocks, (int)gates.shape[2],
                (int)gates.shape[2] / v.Blocks * v.SigmoidGates)
        {
        }
    }

    private ref struct SequenceMemory<T>
        where T : unmanaged
    {
        public Span<T> Gates;
        public Span<T> Ys;
        public Span<T> Cs;
        public Span<T> Hcs;
        public Span<T> GateState;
        public Span<T> Outs;
        public ReadOnlySpan<T> Mask;
        public ReadOnlySpan<T> WeightHh;
        public ReadOnlySpan<T> WeightGates;
        public ReadOnlySpan<T> PeepholeI;
        public ReadOnlySpan<T> PeepholeF;
        public ReadOnlySpan<T> PeepholeO;
    }

    private readonly ref struct Gradients<T>(
        Tensor dGates, Tensor dOut, Tensor dy, Tensor dc, Tensor? dgs, Tensor? dPi, Tensor? dPf, Tensor? dPo)
        where T : unmanaged
    {
        public Span<T> DGates { get; } = TensorMemory.Of<T>(dGates);

        public ReadOnlySpan<T> DOut { get; } = TensorMemory.Of<T>(dOut);

        public Span<T> Dy { get; } = TensorMemory.Of<T>(dy);

        public Span<T> Dc { get; } = TensorMemory.Of<T>(dc);

        public Span<T> Dgs { get; } = TensorMemory.OfOptional<T>(dgs);

        public Span<T> DPi { get; } = TensorMemory.OfOptional<T>(dPi);

        public Span<T> DPf { get; } = TensorMemory.OfOptional<T>(dPf);

        public Span<T> DPo { get; } = TensorMemory.OfOptional<T>(dPo);
    }
}
