using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace RnnLab.Models.Kernels;

/// <summary>
/// One batch row's element-wise work of one LSTM step, forward or backward, over SIMD lanes: every gate, the cell, the
/// output, the mask and the gradients in a single pass. Operands are [H] spans, empty where the variant lacks the part.
/// A row whose H is not a multiple of the vector width runs its last lanes through a zero-padded scratch copy.
/// </summary>
internal static class LstmLanes
{
    /// <summary>Forward: Z, I, F, O hold pre-activations and receive activations; C, Hc, Y (and Out if masked) are written.</summary>
    public ref struct Forward<T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        public Span<T> Z, I, F, O;
        public ReadOnlySpan<T> CPrev, YPrev, PI, PF, PO;
        public Span<T> C, Hc, Y, Out;
        public bool BlockActivation, Coupled;
        public T Keep;

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Run(Span<T> scratch)
        {
            var h = Z.Length;
            var w = Vector<T>.Count;
            var full = h - h % w;
            for (var j = 0; j < full; j += w)
            {
                Lanes((nuint)j);
            }

            if (full == h)
            {
                return;
            }

            var n = h - full;
            scratch.Clear();
            var s = new Forward<T>
            {
                Z = Pad(Z, full, scratch, 0), I = Pad(I, full, scratch, 1), F = Pad(F, full, scratch, 2), O = Pad(O, full, scratch, 3),
                CPrev = Pad(CPrev, full, scratch, 4), YPrev = Pad(YPrev, full, scratch, 5),
                PI = Pad(PI, full, scratch, 6), PF = Pad(PF, full, scratch, 7), PO = Pad(PO, full, scratch, 8),
                C = Pad(C, full, scratch, 9), Hc = Pad(Hc, full, scratch, 10), Y = Pad(Y, full, scratch, 11), Out = Pad(Out, full, scratch, 12),
                BlockActivation = BlockActivation, Coupled = Coupled, Keep = Keep,
            };
            s.Lanes(0);
            Unpad(s.Z, Z, full, n);
            Unpad(s.I, I, full, n);
            Unpad(s.F, F, full, n);
            Unpad(s.O, O, full, n);
            Unpad(s.C, C, full, n);
            Unpad(s.Hc, Hc, full, n);
            Unpad(s.Y, Y, full, n);
            Unpad(s.Out, Out, full, n);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private readonly void Lanes(nuint j)
        {
            var cp = Load(CPrev, j);
            var z = Load(Z, j);
            if (BlockActivation)
            {
                z = VectorMath.Tanh(z);
            }

            Store(Z, j, z);
            var i = Vector<T>.One;
            if (!I.IsEmpty)
            {
                var ai = Load(I, j);
                if (!PI.IsEmpty)
                {
                    ai += Load(PI, j) * cp;
                }

                i = VectorMath.Sigmoid(ai);
                Store(I, j, i);
            }

            var f = Vector<T>.One;
            if (!F.IsEmpty)
            {
                var af = Load(F, j);
                if (!PF.IsEmpty)
                {
                    af += Load(PF, j) * cp;
                }

                f = VectorMath.Sigmoid(af);
                Store(F, j, f);
            }

            // c = z ⊙ i + c(t−1) ⊙ f, with f = 1 − i when coupled.
            var c = Coupled ? (z - cp) * i + cp : z * i + cp * f;
            var o = Vector<T>.One;
            if (!O.IsEmpty)
            {
                var ao = Load(O, j);
                if (!PO.IsEmpty)
                {
                    ao += Load(PO, j) * c;
                }

                o = VectorMath.Sigmoid(ao);
                Store(O, j, o);
            }

            var hc = c;
            if (!Hc.IsEmpty)
            {
                hc = VectorMath.Tanh(c);
                Store(Hc, j, hc);
            }

            var y = hc * o;
            if (!Out.IsEmpty)
            {
                // A padded step outputs zero and keeps the state: s = s_new·m + s·(1−m).
                var keep = new Vector<T>(Keep);
                var hold = new Vector<T>(T.One - Keep);
                Store(Out, j, y * keep);
                y = y * keep + Load(YPrev, j) * hold;
                c = c * keep + cp * hold;
            }

            Store(Y, j, y);
            Store(C, j, c);
        }
    }

    /// <summary>
    /// Backward: from the step's output gradient and the state gradients coming back from step t+1, writes the gate
    /// pre-activation gradients DZ, DI, DF, DO, the cell gradient DcNext for step t−1 and, if masked, the pass-through
    /// part of DyNext (the recurrent matmul adds the rest).
    /// </summary>
    public ref struct Backward<T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        public ReadOnlySpan<T> DOut, Dy, Dc, Z, I, F, O, CPrev, C, Hc, GI, GF, GO, PI, PF, PO;
        public Span<T> DZ, DI, DF, DO, DcNext, DyNext;

        /// <summary>Peephole gradients, accumulated over steps: Σ dI⊙c(t−1), Σ dF⊙c(t−1), Σ dO⊙c(t).</summary>
        public Span<T> DPI, DPF, DPO;
        public bool BlockActivation, OutputActivation, Coupled, Masked;
        public T Keep;

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Run(Span<T> scratch)
        {
            var h = Z.Length;
            var w = Vector<T>.Count;
            var full = h - h % w;
            for (var j = 0; j < full; j += w)
            {
                Lanes((nuint)j);
            }

            if (full == h)
            {
                return;
            }

            var n = h - full;
            scratch.Clear();
            var s = new Backward<T>
            {
                DOut = Pad(DOut, full, scratch, 0), Dy = Pad(Dy, full, scratch, 1), Dc = Pad(Dc, full, scratch, 2),
                Z = Pad(Z, full, scratch, 3), I = Pad(I, full, scratch, 4), F = Pad(F, full, scratch, 5), O = Pad(O, full, scratch, 6),
                CPrev = Pad(CPrev, full, scratch, 7), Hc = Pad(Hc, full, scratch, 8),
                GI = Pad(GI, full, scratch, 9), GF = Pad(GF, full, scratch, 10), GO = Pad(GO, full, scratch, 11),
                PI = Pad(PI, full, scratch, 12), PF = Pad(PF, full, scratch, 13), PO = Pad(PO, full, scratch, 14),
                DZ = Pad(DZ, full, scratch, 15), DI = Pad(DI, full, scratch, 16), DF = Pad(DF, full, scratch, 17), DO = Pad(DO, full, scratch, 18),
                DcNext = Pad(DcNext, full, scratch, 19), DyNext = Pad(DyNext, full, scratch, 20), C = Pad(C, full, scratch, 21),
                DPI = Pad(DPI, full, scratch, 22), DPF = Pad(DPF, full, scratch, 23), DPO = Pad(DPO, full, scratch, 24),
                BlockActivation = BlockActivation, OutputActivation = OutputActivation, Coupled = Coupled, Masked = Masked, Keep = Keep,
            };
            s.Lanes(0);
            Unpad(s.DZ, DZ, full, n);
            Unpad(s.DI, DI, full, n);
            Unpad(s.DF, DF, full, n);
            Unpad(s.DO, DO, full, n);
            Unpad(s.DcNext, DcNext, full, n);
            Unpad(s.DPI, DPI, full, n);
            Unpad(s.DPF, DPF, full, n);
            Unpad(s.DPO, DPO, full, n);
            if (Masked)
            {
                Unpad(s.DyNext, DyNext, full, n);
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private readonly void Lanes(nuint j)
        {
            var one = Vector<T>.One;
            var dyIn = Load(Dy, j);
            var dcIn = Load(Dc, j);
            var dy = Load(DOut, j) + dyIn;
            var dc = dcIn;
            var keep = new Vector<T>(Keep);
            if (Masked)
            {
                // A padded step passes the state's gradient straight through and contributes nothing itself.
                dy *= keep;
                dc *= keep;
            }

            // y = h(c) ⊙ o: dc += dy ⊙ o ⊙ h'(c).
            var hc = Load(Hc, j);
            var o = O.IsEmpty ? one : Load(O, j);
            var dHc = dy * o;
            dc += OutputActivation ? dHc * (one - hc * hc) : dHc;
            if (!O.IsEmpty)
            {
                var dO = dy * hc;
                if (!GO.IsEmpty)
                {
                    dO += Masked ? Load(GO, j) * keep : Load(GO, j);
                }

                dO *= o * (one - o);
                if (!PO.IsEmpty)
                {
                    dc += dO * Load(PO, j);
                    Store(DPO, j, Load(DPO, j) + dO * Load(C, j));
                }

                Store(DO, j, dO);
            }

            // c = z ⊙ i + c(t−1) ⊙ f.
            var z = Load(Z, j);
            var cp = Load(CPrev, j);
            var i = I.IsEmpty ? one : Load(I, j);
            var dz = dc * i;
            if (BlockActivation)
            {
                dz *= one - z * z;
            }

            Store(DZ, j, dz);
            var dcNext = Coupled ? dc - dc * i : F.IsEmpty ? dc : dc * Load(F, j);
            if (!I.IsEmpty)
            {
                var di = dc * (Coupled ? z - cp : z);
                if (!GI.IsEmpty)
                {
                    di += Masked ? Load(GI, j) * keep : Load(GI, j);
                }

                di *= i * (one - i);
                if (!PI.IsEmpty)
                {
                    dcNext += di * Load(PI, j);
                    Store(DPI, j, Load(DPI, j) + di * cp);
                }

                Store(DI, j, di);
            }

            if (!F.IsEmpty)
            {
                var f = Load(F, j);
                var df = dc * cp;
                if (!GF.IsEmpty)
                {
                    df += Masked ? Load(GF, j) * keep : Load(GF, j);
                }

                df *= f * (one - f);
                if (!PF.IsEmpty)
                {
                    dcNext += df * Load(PF, j);
                    Store(DPF, j, Load(DPF, j) + df * cp);
                }

                Store(DF, j, df);
            }

            if (Masked)
            {
                var hold = new Vector<T>(T.One - Keep);
                dcNext += dcIn * hold;
                Store(DyNext, j, dyIn * hold);
            }

            Store(DcNext, j, dcNext);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector<T> Load<T>(ReadOnlySpan<T> s, nuint j)
        where T : unmanaged => Vector.LoadUnsafe(ref MemoryMarshal.GetReference(s), j);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store<T>(Span<T> s, nuint j, Vector<T> v)
        where T : unmanaged => v.StoreUnsafe(ref MemoryMarshal.GetReference(s), j);

    /// <summary>Slot k of the scratch (one vector wide), holding src[start..] zero-padded; empty for an empty src.</summary>
    private static Span<T> Pad<T>(ReadOnlySpan<T> src, int start, Span<T> scratch, int k)
        where T : unmanaged
    {
        if (src.IsEmpty)
        {
            return default;
        }

        var slot = scratch.Slice(k * Vector<T>.Count, Vector<T>.Count);
        src[start..].CopyTo(slot);
        return slot;
    }

    private static void Unpad<T>(ReadOnlySpan<T> slot, Span<T> dst, int start, int count)
    {
        if (!dst.IsEmpty)
        {
            slot[..count].CopyTo(dst[start..]);
        }
    }

    /// <summary>Scratch for <see cref="Forward{T}.Run"/> and <see cref="Backward{T}.Run"/>.</summary>
    public static T[] Scratch<T>()
        where T : unmanaged => new T[25 * Vector<T>.Count];
}
