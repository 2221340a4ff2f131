using System.Numerics;
using System.Runtime.CompilerServices;
using RnnLab.Models.Cells;
using static TorchSharp.torch;

namespace RnnLab.Models.Kernels;

/// <summary>
/// The step loops of <see cref="GatedUnitSequenceFunction"/> (GRU, MUT1–3) in managed code over the tensors' memory,
/// for small batches (see <see cref="ManagedStepLoops"/>): same buffers and arithmetic as the tensor-op loops, each
/// batch row running its whole sequence in turn.
/// </summary>
internal static class GatedUnitManagedLoops
{
    /// <summary>
    /// Forward. gates [T,B,3H] (z, r, candidate) is overwritten with the activations; hs [T+1,B,H] holds h0 at step 0;
    /// rhs receives r ⊙ h(t−1), ths tanh(h(t−1)) (mut3), outs the masked outputs. wzr is [wz; wr] (gru, mut2).
    /// </summary>
    public static void Forward(
        GatedUnitKind kind, Tensor gates, Tensor hs, Tensor rhs, Tensor? ths, Tensor? outs, Tensor? mask,
        Tensor? wzr, Tensor? wz, Tensor wr, Tensor wc)
    {
        ManagedStepLoops.Count();
        if (gates.dtype == ScalarType.Float32)
        {
            Forward(kind, gates, Memory<float>(gates, hs, rhs, ths, outs, mask, wzr, wz, wr, wc));
        }
        else
        {
            Forward(kind, gates, Memory<double>(gates, hs, rhs, ths, outs, mask, wzr, wz, wr, wc));
        }
    }

    /// <summary>
    /// Backward: fills dGates [T,B,3H]; dh [B,H] holds the final state's gradient on entry and h0's on return.
    /// The weights come transposed.
    /// </summary>
    public static void Backward(
        GatedUnitKind kind, Tensor gates, Tensor hs, Tensor? ths, Tensor? mask, Tensor dGates, Tensor dOut, Tensor dh,
        Tensor? wzrT, Tensor? wzT, Tensor wrT, Tensor wcT)
    {
        ManagedStepLoops.Count();
        if (gates.dtype == ScalarType.Float32)
        {
            Backward(kind, gates, Memory<float>(gates, hs, null, ths, null, mask, wzrT, wzT, wrT, wcT), Grads<float>(dGates, dOut, dh));
        }
        else
        {
            Backward(kind, gates, Memory<double>(gates, hs, null, ths, null, mask, wzrT, wzT, wrT, wcT), Grads<double>(dGates, dOut, dh));
        }
    }

    private static SequenceMemory<T> Memory<T>(
        Tensor gates, Tensor hs, Tensor? rhs, Tensor? ths, Tensor? outs, Tensor? mask, Tensor? wzr, Tensor? wz, Tensor wr, Tensor wc)
        where T : unmanaged => new()
        {
            Gates = TensorMemory.Of<T>(gates),
            Hs = TensorMemory.Of<T>(hs),
            RHs = TensorMemory.OfOptional<T>(rhs),
            THs = TensorMemory.OfOptional<T>(ths),
            Outs = TensorMemory.OfOptional<T>(outs),
            Mask = TensorMemory.OfOptional<T>(mask),
            Wzr = TensorMemory.OfOptional<T>(wzr),
            Wz = TensorMemory.OfOptional<T>(wz),
            Wr = TensorMemory.Of<T>(wr),
            Wc = TensorMemory.Of<T>(wc),
        };

    private static Gradients<T> Grads<T>(Tensor dGates, Tensor dOut, Tensor dh)
        where T : unmanaged => new() { DGates = TensorMemory.Of<T>(dGates), DOut = TensorMemory.Of<T>(dOut), Dh = TensorMemory.Of<T>(dh) };

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Forward<T>(GatedUnitKind kind, Tensor gates, SequenceMemory<T> m)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var (steps, rows, h) = ((int)gates.shape[0], (int)gates.shape[1], (int)gates.shape[2] / 3);
        var masked = !m.Mask.IsEmpty;
        for (var b = 0; b < rows; b++)
        {
            for (var t = 0; t < steps; t++)
            {
                var row = t * rows + b;
                var a = m.Gates.Slice(row * 3 * h, 3 * h);
                var z = a[..h];
                var r = a.Slice(h, h);
                var c = a.Slice(2 * h, h);
                var hPrev = m.Hs.Slice(row * h, h);
                var hNew = m.Hs.Slice((row + rows) * h, h);
                if (!m.Wzr.IsEmpty)
                {
                    MatrixVector.Multiply<T>(m.Wzr, hPrev, a[..(2 * h)], accumulate: true);
                }
                else
                {
                    MatrixVector.Multiply<T>(m.Wr, hPrev, r, accumulate: true);
                    if (!m.THs.IsEmpty)
                    {
                        var th = m.THs.Slice(row * h, h);
                        VectorMath.Tanh<T>(hPrev, th);
                        MatrixVector.Multiply<T>(m.Wz, th, z, accumulate: true);
                    }
                }

                VectorMath.Sigmoid(a[..(2 * h)]);
                var rh = m.RHs.Slice(row * h, h);
                for (var j = 0; j < h; j++)
                {
                    rh[j] = r[j] * hPrev[j];
                }

                MatrixVector.Multiply<T>(m.Wc, rh, c, accumulate: true);
                VectorMath.Tanh<T>(c, c);

                // GRU: h' = z⊙h + (1−z)⊙ĥ; MUT: h' = ĥ⊙z + h⊙(1−z).
                var keep = masked ? m.Mask[row] : T.One;
                var outs = masked ? m.Outs.Slice(row * h, h) : default;
                for (var j = 0; j < h; j++)
                {
                    var next = kind == GatedUnitKind.Gru ? (hPrev[j] - c[j]) * z[j] + c[j] : (c[j] - hPrev[j]) * z[j] + hPrev[j];
                    if (masked)
                    {
                        // A padded step outputs zero and keeps the state.
                        outs[j] = next * keep;
                        next = next * keep + hPrev[j] * (T.One - keep);
                    }

                    hNew[j] = next;
                }
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Backward<T>(GatedUnitKind kind, Tensor gates, SequenceMemory<T> m, Gradients<T> g)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var (steps, rows, h) = ((int)gates.shape[0], (int)gates.shape[1], (int)gates.shape[2] / 3);
        var masked = !m.Mask.IsEmpty;
        var dh = new T[h];
        var dhNext = new T[h];
        var dRh = new T[h];
        var dZFromH = new T[m.THs.IsEmpty ? 0 : h];
        for (var b = 0; b < rows; b++)
        {
            g.Dh.Slice(b * h, h).CopyTo(dh);
            for (var t = steps - 1; t >= 0; t--)
            {
                var row = t * rows + b;
                var a = m.Gates.Slice(row * 3 * h, 3 * h);
                var d = g.DGates.Slice(row * 3 * h, 3 * h);
                var z = a[..h];
                var r = a.Slice(h, h);
                var c = a.Slice(2 * h, h);
                var dz = d[..h];
                var dr = d.Slice(h, h);
                var dc = d.Slice(2 * h, h);
                var hPrev = m.Hs.Slice(row * h, h);
                var dOut = g.DOut.Slice(row * h, h);
                var keep = masked ? m.Mask[row] : T.One;
                var hold = T.One - keep;
                for (var j = 0; j < h; j++)
                {
                    // A padded step passes the state's gradient straight through and contributes nothing itself.
                    var dhNew = dOut[j] + dh[j];
                    var pass = T.Zero;
                    if (masked)
                    {
                        pass = dh[j] * hold;
                        dhNew *= keep;
                    }

                    T dCandidate;
                    if (kind == GatedUnitKind.Gru)
                    {
                        dhNext[j] = dhNew * z[j] + pass;
                        dCandidate = dhNew - dhNew * z[j];
                        dz[j] = (hPrev[j] - c[j]) * dhNew;
                    }
                    else
                    {
                        dCandidate = dhNew * z[j];
                        dhNext[j] = dhNew - dCandidate + pass;
                        dz[j] = (c[j] - hPrev[j]) * dhNew;
                    }

                    dc[j] = dCandidate * (T.One - c[j] * c[j]);
                }

                MatrixVector.Multiply<T>(m.Wc, dc, dRh, accumulate: false);
                for (var j = 0; j < h; j++)
                {
                    dr[j] = dRh[j] * hPrev[j] * r[j] * (T.One - r[j]);
                    dz[j] *= z[j] * (T.One - z[j]);
                    dhNext[j] += dRh[j] * r[j];
                }

                if (!m.Wzr.IsEmpty)
                {
                    MatrixVector.Multiply<T>(m.Wzr, d[..(2 * h)], dhNext, accumulate: true);
                }
                else
                {
                    MatrixVector.Multiply<T>(m.Wr, dr, dhNext, accumulate: true);
                    if (!m.THs.IsEmpty)
                    {
                        var th = m.THs.Slice(row * h, h);
                        MatrixVector.Multiply<T>(m.Wz, dz, dZFromH, accumulate: false);
                        for (var j = 0; j < h; j++)
                        {
                            dhNext[j] += dZFromH[j] * (T.One - th[j] * th[j]);
                        }
                    }
                }

                (dh, dhNext) = (dhNext, dh);
            }

            dh.CopyTo(g.Dh.Slice(b * h, h));
        }
    }

    private ref struct Gradients<T>
        where T : unmanaged
    {
        public Span<T> DGates;
        public ReadOnlySpan<T> DOut;
        public Span<T> Dh;
    }

    /// <summary>The sequence's buffers; in backward the weights are the transposed ones.</summary>
    private ref struct SequenceMemory<T>
        where T : unmanaged
    {
        public Span<T> Gates;
        public Span<T> Hs;
        public Span<T> RHs;
        public Span<T> THs;
        public Span<T> Outs;
        public ReadOnlySpan<T> Mask;
        public ReadOnlySpan<T> Wzr;
        public ReadOnlySpan<T> Wz;
        public ReadOnlySpan<T> Wr;
        public ReadOnlySpan<T> Wc;
    }
}
