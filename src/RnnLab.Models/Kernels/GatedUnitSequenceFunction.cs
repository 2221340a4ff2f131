using RnnLab.Models.Cells;
using TorchSharp;
using static TorchSharp.torch;

namespace RnnLab.Models.Kernels;

/// <summary>
/// The GRU/MUT recurrence over a whole sequence as one autograd node (see <see cref="LstmSequenceFunction"/>):
/// graph-free forward keeping z, r and the candidate; hand-derived BPTT; recurrent weight gradients as large matmuls.
/// Small batches run the step loops in managed code (<see cref="ManagedStepLoops"/>).
/// </summary>
internal sealed class GatedUnitSequenceFunction : autograd.MultiTensorFunction<GatedUnitSequenceFunction>
{
    public override string Name => "GatedUnitSequence";

    /// <summary>projected [T,B,3H] (z, r, candidate; x side incl. bias) is overwritten with z, r and the candidate.</summary>
    public static Tensor[] Run(GatedUnitKind kind, Tensor projected, Tensor? weightHz, Tensor weightHr, Tensor weightHc, Tensor h0, Tensor? mask) =>
        [.. apply(projected, weightHz, weightHr, weightHc, h0, mask, kind, is_grad_enabled())];

    public override List<Tensor> forward(autograd.AutogradContext ctx, params object[] vars)
    {
        var g = (Tensor)vars[0];
        var wz = vars[1] as Tensor;
        var wr = (Tensor)vars[2];
        var wc = (Tensor)vars[3];
        var h0 = (Tensor)vars[4];
        var maskTensor = vars[5] as Tensor;
        var kind = (GatedUnitKind)vars[6];
        var keep = (bool)vars[7];

        using var scope = NewDisposeScope();
        var steps = (int)g.shape[0];
        var batch = g.shape[1];
        var h = h0.shape[1];
        var hs = empty(new[] { steps + 1, batch, h }, g.dtype, g.device);
        var rhs = empty(new[] { steps, batch, h }, g.dtype, g.device);
        var ths = kind == GatedUnitKind.Mut3 ? empty(new[] { steps, batch, h }, g.dtype, g.device) : null;
        var outs = maskTensor is null ? null : empty(new[] { steps, batch, h }, g.dtype, g.device);
        hs[0].copy_(h0);
        var zrFromH = kind is GatedUnitKind.Gru or GatedUnitKind.Mut2;

        var managed = ManagedStepLoops.Applies(batch, h, g.dtype, g.device);
        if (managed)
        {
            GatedUnitManagedLoops.Forward(
                kind, g, hs, rhs, ths, outs, maskTensor?.contiguous(), zrFromH ? cat([wz!, wr]) : null, wz?.contiguous(),
                wr.contiguous(), wc.contiguous());
        }
        else
        {
            // Contiguous transposes: the per-step matmul is markedly faster on them than on transposed views.
            var wzrT = zrFromH ? cat([wz!, wr]).t().contiguous() : null;
            var wzT = wz?.t().contiguous();
            var wrT = wr.t().contiguous();
            var wcT = wc.t().contiguous();
            var slices = KernelParallelism.Slices(batch).Select(b =>
            {
                Tensor? Rows(Tensor? x) => x?.narrow(1, b.Start, b.Length);
                return ForwardSlice(kind, h, Rows(g)!, Rows(hs)!, Rows(rhs)!, Rows(ths), Rows(outs), Rows(maskTensor), wzrT, wzT, wrT, wcT);
            }).ToArray();
            KernelParallelism.Run(slices.Length, i => slices[i]());
        }

        var results = new List<Tensor> { outs ?? hs.narrow(0, 1, steps).clone(), hs[steps].clone() };
        foreach (var r in results)
        {
            r.MoveToOuterDisposeScope();
        }

        if (keep)
        {
            ctx.save_data("saved", new Saved(kind, managed, g, hs, rhs, ths, maskTensor, wz, wr, wc));
            foreach (var b in new[] { hs, rhs, ths })
            {
                b?.MoveToOuterDisposeScope();
            }
        }

        return results;
    }

    /// <summary>Cuts one batch slice's per-step views (on the calling thread) and returns its step loop.</summary>
    private static Action ForwardSlice(
        GatedUnitKind kind, long h, Tensor g, Tensor hs, Tensor rhs, Tensor? ths, Tensor? outs, Tensor? maskTensor,
        Tensor? wzrT, Tensor? wzT, Tensor wrT, Tensor wcT)
    {
        var steps = (int)g.shape[0];
        var mask = StepMask.From(maskTensor);
        var zrFromH = wzrT is not null;
        var views = new UnitViews(g, h);
        var ht = hs.unbind(0);
        var rht = rhs.unbind(0);
        var tht = ths?.unbind(0);
        var outt = outs?.unbind(0);

        return () =>
        {
            for (var t = 0; t < steps; t++)
            {
                var hPrev = ht[t];
                var hNew = ht[t + 1];
                var z = views.Z[t];
                var r = views.R[t];
                var c = views.C[t];
                if (zrFromH)
                {
                    views.Zr[t].addmm_(hPrev, wzrT!);
                }
                else
                {
                    r.addmm_(hPrev, wrT);
                    if (tht is not null)
                    {
                        z.addmm_(tht[t].copy_(hPrev).tanh_(), wzT!);
                    }
                }

                views.Zr[t].sigmoid_();
                c.addmm_(rht[t].copy_(r).mul_(hPrev), wcT).tanh_();

                // GRU: h' = z⊙h + (1−z)⊙ĥ = ĥ + z⊙(h − ĥ); MUT: h' = ĥ⊙z + h⊙(1−z) = h + z⊙(ĥ − h).
                if (kind == GatedUnitKind.Gru)
                {
                    hNew.copy_(hPrev).sub_(c).mul_(z).add_(c, Scalars.One);
                }
                else
                {
                    hNew.copy_(c).sub_(hPrev).mul_(z).add_(hPrev, Scalars.One);
                }

                if (mask is not null)
                {
                    outt![t].copy_(hNew).mul_(mask.Keep[t]);
                    mask.Blend(t, hNew, hPrev);
                }
            }
        };
    }

    public override List<Tensor> backward(autograd.AutogradContext ctx, List<Tensor> grads)
    {
        var sv = (Saved)ctx.get_data("saved");
        var kind = sv.Kind;
        var g = sv.Gates;
        var steps = (int)g.shape[0];
        var batch = g.shape[1];
        var h = sv.Hs.shape[2];

        using var scope = NewDisposeScope();
        var zrFromH = kind is GatedUnitKind.Gru or GatedUnitKind.Mut2;
        var wzr = zrFromH ? cat([sv.WeightHz!, sv.WeightHr]) : null;
        var dG = empty_like(g);
        if (sv.Managed)
        {
            var dhState = grads[1].contiguous().clone();
            GatedUnitManagedLoops.Backward(
                kind, g, sv.Hs, sv.TanhHs, sv.Mask?.contiguous(), dG, grads[0].contiguous(), dhState,
                wzr?.t().contiguous(), sv.WeightHz?.t().contiguous(), sv.WeightHr.t().contiguous(), sv.WeightHc.t().contiguous());
            return WeightGradients(sv, dG, dhState);
        }

        var mask = StepMask.From(sv.Mask);
        var dOut = grads[0].unbind(0);
        var dh = grads[1].clone();
        var dhNext = empty_like(dh);
        var dhNew = empty_like(dh);
        var dRh = empty_like(dh);
        var dZFromH = empty_like(dh);
        var scratch = empty(new[] { batch, 2 * h }, g.dtype, g.device);
        var scratchH = scratch.narrow(1, 0, h);
        var pass = mask is null ? null : empty_like(dh);
        var a = new UnitViews(g, h);
        var d = new UnitViews(dG, h);
        var ht = sv.Hs.unbind(0);
        var tht = sv.TanhHs?.unbind(0);

        for (var t = steps - 1; t >= 0; t--)
        {
            var hPrev = ht[t];
            var z = a.Z[t];
            var r = a.R[t];
            var c = a.C[t];
            var daZ = d.Z[t];
            var daR = d.R[t];
            var daC = d.C[t];

            dhNew.copy_(dOut[t]).add_(dh, Scalars.One);
            if (mask is not null)
            {
                // A padded step passes the state's gradient straight through and contributes nothing itself.
                pass!.copy_(dh).mul_(mask.Hold[t]);
                dhNew.mul_(mask.Keep[t]);
            }

            if (kind == GatedUnitKind.Gru)
            {
                dhNext.copy_(dhNew).mul_(z);
                daC.copy_(dhNew).sub_(dhNext);
                daZ.copy_(hPrev).sub_(c).mul_(dhNew);
            }
            else
            {
                daC.copy_(dhNew).mul_(z);
                dhNext.copy_(dhNew).sub_(daC);
                daZ.copy_(c).sub_(hPrev).mul_(dhNew);
            }

            Derivatives.Tanh(daC, c, scratchH);
            dRh.addmm_(daC, sv.WeightHc, 0, 1);
            daR.copy_(dRh).mul_(hPrev);
            Derivatives.Sigmoid(d.Zr[t], a.Zr[t], scratch);
            dhNext.addcmul_(dRh, r, Scalars.One);
            switch (kind)
            {
                case GatedUnitKind.Gru or GatedUnitKind.Mut2:
                    dhNext.addmm_(d.Zr[t], wzr!);
                    break;
                case GatedUnitKind.Mut1:
                    dhNext.addmm_(daR, sv.WeightHr);
                    break;
                default:
                    dhNext.addmm_(daR, sv.WeightHr);
                    Derivatives.Tanh(dZFromH.addmm_(daZ, sv.WeightHz!, 0, 1), tht![t], scratchH);
                    dhNext.add_(dZFromH, Scalars.One);
                    break;
            }

            if (pass is not null)
            {
                dhNext.add_(pass, Scalars.One);
            }

            (dh, dhNext) = (dhNext, dh);
        }

        return WeightGradients(sv, dG, dh);
    }

    /// <summary>The recurrent weight gradients of all steps as single matmuls, and the gradients this node returns.</summary>
    private static List<Tensor> WeightGradients(Saved sv, Tensor dG, Tensor dh)
    {
        var kind = sv.Kind;
        var steps = dG.shape[0];
        var batch = dG.shape[1];
        var h = sv.Hs.shape[2];
        var zrFromH = kind is GatedUnitKind.Gru or GatedUnitKind.Mut2;
        var flat = dG.view(steps * batch, 3 * h);
        var hsFlat = sv.Hs.narrow(0, 0, steps).reshape(steps * batch, h);
        Tensor? dWz = null;
        Tensor dWr;
        if (zrFromH)
        {
            var dWzr = flat.narrow(1, 0, 2 * h).t().mm(hsFlat);
            dWz = dWzr.narrow(0, 0, h);
            dWr = dWzr.narrow(0, h, h);
        }
        else
        {
            dWr = flat.narrow(1, h, h).t().mm(hsFlat);
            if (kind == GatedUnitKind.Mut3)
            {
                dWz = flat.narrow(1, 0, h).t().mm(sv.TanhHs!.view(steps * batch, h));
            }
        }

        var dWc = flat.narrow(1, 2 * h, h).t().mm(sv.RHs.view(steps * batch, h));
        var result = new List<Tensor?> { dG, dWz, dWr, dWc, dh, null, null, null };
        foreach (var x in result)
        {
            x?.MoveToOuterDisposeScope();
        }

        return result!;
    }

    /// <summary>Per-step [B,H] views of z, r, the candidate, and z and r together, cut once per sequence.</summary>
    private sealed class UnitViews
    {
        public UnitViews(Tensor gates, long h)
        {
            var byBlock = gates.view(gates.shape[0], gates.shape[1], 3, h);
            Z = byBlock.select(2, 0).unbind(0);
            R = byBlock.select(2, 1).unbind(0);
            C = byBlock.select(2, 2).unbind(0);
            Zr = gates.narrow(2, 0, 2 * h).unbind(0);
        }

        public Tensor[] Z { get; }

        public Tensor[] R { get; }

        public Tensor[] C { get; }

        public Tensor[] Zr { get; }
    }

    private sealed record Saved(
        GatedUnitKind Kind,
        bool Managed,
        Tensor Gates,
        Tensor Hs,
        Tensor RHs,
        Tensor? TanhHs,
        Tensor? Mask,
        Tensor? WeightHz,
        Tensor WeightHr,
        Tensor WeightHc);
}
