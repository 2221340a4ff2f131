using RnnLab.Models.Cells;
using TorchSharp;
using static TorchSharp.torch;

namespace RnnLab.Models.Kernels;

/// <summary>
/// The LSTM family's recurrence over a whole sequence as one autograd node. Forward runs without a graph and keeps
/// the gate activations; backward is the hand-derived BPTT: per step only the dy/dc recurrence, then the recurrent
/// weight gradients of all steps as single large matmuls. The step loops allocate nothing: every per-step view is
/// cut once per sequence and every op works in place. Small batches run the same loops in managed code instead
/// (<see cref="ManagedStepLoops"/>).
/// </summary>
internal sealed class LstmSequenceFunction : autograd.MultiTensorFunction<LstmSequenceFunction>
{
    public override string Name => "LstmSequence";

    /// <summary>
    /// Runs the recurrence. projected [T,B,K] (input side incl. bias, stacked z,i,f,o) is overwritten with the gate
    /// activations. Returns outputs [T,B,H], final y, c and (fgr) gate state.
    /// </summary>
    public static Tensor[] Run(
        LstmVariant variant,
        Tensor projected,
        Tensor weightHh,
        Tensor? peepholeI,
        Tensor? peepholeF,
        Tensor? peepholeO,
        Tensor? weightGates,
        Tensor[] state,
        Tensor? mask) =>
        [.. apply(
            projected, weightHh, peepholeI, peepholeF, peepholeO, weightGates, state[0], state[1],
            variant.GateRecurrence ? state[2] : null, mask, variant, is_grad_enabled())];

    public override List<Tensor> forward(autograd.AutogradContext ctx, params object[] vars)
    {
        var g = (Tensor)vars[0];
        var weightHh = (Tensor)vars[1];
        var pI = vars[2] as Tensor;
        var pF = vars[3] as Tensor;
        var pO = vars[4] as Tensor;
        var weightGates = vars[5] as Tensor;
        var y0 = (Tensor)vars[6];
        var c0 = (Tensor)vars[7];
        var gate0 = vars[8] as Tensor;
        var maskTensor = vars[9] as Tensor;
        var v = (LstmVariant)vars[10];
        var keep = (bool)vars[11];

        using var scope = NewDisposeScope();
        var steps = (int)g.shape[0];
        var batch = g.shape[1];
        var h = y0.shape[1];
        var s = v.SigmoidGates;
        var ys = empty(new[] { steps + 1, batch, h }, g.dtype, g.device);
        var cs = empty(new[] { steps + 1, batch, h }, g.dtype, g.device);
        var hcs = v.OutputActivation ? empty(new[] { steps, batch, h }, g.dtype, g.device) : null;
        var gateState = v.GateRecurrence ? empty(new[] { steps + 1, batch, s * h }, g.dtype, g.device) : null;
        var outs = maskTensor is null ? null : empty(new[] { steps, batch, h }, g.dtype, g.device);
        ys[0].copy_(y0);
        cs[0].copy_(c0);
        gateState?[0].copy_(gate0!);

        var managed = ManagedStepLoops.Applies(batch, h, g.dtype, g.device);
        if (managed)
        {
            LstmManagedLoops.Forward(
                v, g, ys, cs, hcs, gateState, outs, maskTensor?.contiguous(), weightHh.contiguous(), weightGates?.contiguous(), pI, pF, pO);
        }
        else
        {
            // Contiguous transposes: the per-step matmul is markedly faster on them than on transposed views.
            var rT = weightHh.t().contiguous();
            var rgT = weightGates?.t().contiguous();
            var slices = KernelParallelism.Slices(batch).Select(b =>
            {
                Tensor? Rows(Tensor? x) => x?.narrow(1, b.Start, b.Length);
                return ForwardSlice(v, h, Rows(g)!, Rows(ys)!, Rows(cs)!, Rows(hcs), Rows(gateState), Rows(outs), Rows(maskTensor), rT, rgT, pI, pF, pO);
            }).ToArray();
            KernelParallelism.Run(slices.Length, i => slices[i]());
        }

        var output = outs ?? ys.narrow(0, 1, steps).clone();
        var results = new List<Tensor> { output, ys[steps].clone(), cs[steps].clone() };
        if (gateState is not null)
        {
            results.Add(gateState[steps].clone());
        }

        foreach (var r in results)
        {
            r.MoveToOuterDisposeScope();
        }

        if (keep)
        {
            ctx.save_data("saved", new Saved(v, managed, g, ys, cs, hcs, gateState, maskTensor, weightHh, pI, pF, pO, weightGates));
            foreach (var b in new[] { ys, cs, hcs, gateState })
            {
                b?.MoveToOuterDisposeScope();
            }
        }

        return results;
    }

    /// <summary>Cuts one batch slice's per-step views (on the calling thread) and returns its step loop.</summary>
    private static Action ForwardSlice(
        LstmVariant v, long h, Tensor g, Tensor ys, Tensor cs, Tensor? hcs, Tensor? gateState, Tensor? outs, Tensor? maskTensor,
        Tensor rT, Tensor? rgT, Tensor? pI, Tensor? pF, Tensor? pO)
    {
        var peepO = v.Peepholes && v.OutputGate;
        var views = new GateViews(g, v, h);
        var mask = StepMask.From(maskTensor);
        var steps = (int)g.shape[0];
        var s = v.SigmoidGates;
        var sigmoidAtOnce = s == 0 ? null : g.narrow(2, h, (peepO ? s - 1 : s) * h).unbind(0);
        var yt = ys.unbind(0);
        var ct = cs.unbind(0);
        var hct = hcs?.unbind(0);
        var gst = gateState?.unbind(0);
        var outt = outs?.unbind(0);

        return () =>
        {
            for (var t = 0; t < steps; t++)
            {
                var cPrev = ct[t];
                var c = ct[t + 1];
                var y = yt[t + 1];
                var z = views.Z[t];
                var i = views.I?[t];
                var f = views.F?[t];
                var o = views.O?[t];
                views.All[t].addmm_(yt[t], rT);
                if (v.GateRecurrence)
                {
                    views.Sigmoids![t].addmm_(gst![t], rgT!);
                }

                if (v.Peepholes)
                {
                    i?.addcmul_(cPrev, pI!, Scalars.One);
                    f?.addcmul_(cPrev, pF!, Scalars.One);
                }

                sigmoidAtOnce?[t].sigmoid_();
                if (v.BlockActivation)
                {
                    z.tanh_();
                }

                c.copy_(z);
                if (v.CoupledInputForget)
                {
                    c.sub_(cPrev).mul_(i!).add_(cPrev, Scalars.One);
                }
                else
                {
                    if (i is not null)
                    {
                        c.mul_(i);
                    }

                    if (f is not null)
                    {
                        c.addcmul_(cPrev, f, Scalars.One);
                    }
                    else
                    {
                        c.add_(cPrev, Scalars.One);
                    }
                }

                if (peepO)
                {
                    o!.addcmul_(c, pO!, Scalars.One).sigmoid_();
                }

                var hc = hct is null ? c : hct[t].copy_(c).tanh_();
                y.copy_(hc);
                if (o is not null)
                {
                    y.mul_(o);
                }

                gst?[t + 1].copy_(views.Sigmoids![t]);
                if (mask is not null)
                {
                    outt![t].copy_(y).mul_(mask.Keep[t]);
                    mask.Blend(t, y, yt[t]);
                    mask.Blend(t, c, cPrev);
                    if (gst is not null)
                    {
                        mask.Blend(t, gst[t + 1], gst[t]);
                    }
                }
            }
        };
    }

    public override List<Tensor> backward(autograd.AutogradContext ctx, List<Tensor> grads)
    {
        var sv = (Saved)ctx.get_data("saved");
        var v = sv.Variant;
        var g = sv.Gates;
        var steps = (int)g.shape[0];
        var batch = g.shape[1];
        var k = g.shape[2];
        var h = sv.Ys.shape[2];
        var s = v.SigmoidGates;

        using var scope = NewDisposeScope();
        var dG = empty_like(g);
        var pI = v.Peepholes && v.InputGate ? sv.PeepholeI : null;
        var pF = v.Peepholes && v.ForgetGate ? sv.PeepholeF : null;
        var pO = v.Peepholes && v.OutputGate ? sv.PeepholeO : null;

        var weightHh = sv.WeightHh;
        var weightGates = sv.WeightGates;

        // The gradients of the initial state; each slice works in its rows, starting from the final state's gradients.
        var dy = grads[1].contiguous().clone();
        var dc = grads[2].contiguous().clone();
        var dgs = v.GateRecurrence ? grads[3].contiguous().clone() : null;
        Tensor? dPi = null, dPf = null, dPo = null;
        if (sv.Managed)
        {
            // The managed loops also sum the peephole gradients as they go.
            Tensor? Zeros(Tensor? p) => p is null ? null : zeros_like(p);
            (dPi, dPf, dPo) = (Zeros(pI), Zeros(pF), Zeros(pO));
            LstmManagedLoops.Backward(
                v, g, sv.Cs, sv.Hcs, sv.Mask?.contiguous(), dG, grads[0].contiguous(), dy, dc, dgs,
                weightHh.t().contiguous(), weightGates?.t().contiguous(), pI, pF, pO, dPi, dPf, dPo);
        }
        else
        {
            var slices = KernelParallelism.BackwardSlices(batch).Select(b =>
            {
                Tensor? Rows(Tensor? x) => x?.narrow(1, b.Start, b.Length);
                Tensor? StateRows(Tensor? x) => x?.narrow(0, b.Start, b.Length);
                return BackwardSlice(
                    v, h, Rows(g)!, Rows(dG)!, Rows(sv.Cs)!, Rows(sv.Hcs), Rows(sv.Mask), Rows(grads[0])!,
                    StateRows(dy)!, StateRows(dc)!, StateRows(dgs), weightHh, weightGates, pI, pF, pO);
            }).ToArray();
            KernelParallelism.Run(slices.Length, i => slices[i]());
        }

        var flat = dG.view(steps * batch, k);
        var dWeightHh = flat.t().mm(sv.Ys.narrow(0, 0, steps).view(steps * batch, h));
        Tensor? Peephole(Tensor? p, int block, Tensor cells) =>
            p is null ? null : (dG.narrow(2, block * h, h) * cells).sum(new long[] { 0, 1 });
        if (!sv.Managed)
        {
            dPi = Peephole(pI, v.InputBlock, sv.Cs.narrow(0, 0, steps));
            dPf = Peephole(pF, v.ForgetBlock, sv.Cs.narrow(0, 0, steps));
            dPo = Peephole(pO, v.OutputBlock, sv.Cs.narrow(0, 1, steps));
        }
        Tensor? dWeightGates = null;
        if (v.GateRecurrence)
        {
            dWeightGates = flat.narrow(1, h, s * h).t().mm(sv.GateState!.narrow(0, 0, steps).view(steps * batch, s * h));
        }

        var result = new List<Tensor?>
        {
            dG, dWeightHh, dPi, dPf, dPo, dWeightGates, dy, dc, dgs, null, null, null,
        };
        foreach (var r in result)
        {
            r?.MoveToOuterDisposeScope();
        }

        return result!;
    }

    /// <summary>
    /// Cuts one batch slice's views and buffers (on the calling thread) and returns its backward step loop, which leaves
    /// the initial state's gradients in dyOut, dcOut and dgsOut (which hold the final state's gradients on entry).
    /// </summary>
    private static Action BackwardSlice(
        LstmVariant v, long h, Tensor g, Tensor dG, Tensor cs, Tensor? hcs, Tensor? maskTensor, Tensor dOutAll,
        Tensor dyOut, Tensor dcOut, Tensor? dgsOut, Tensor weightHh, Tensor? weightGates, Tensor? pI, Tensor? pF, Tensor? pO)
    {
        var steps = (int)g.shape[0];
        var rows = g.shape[1];
        var s = v.SigmoidGates;
        var mask = StepMask.From(maskTensor);
        var dOut = dOutAll.unbind(0);

        // Gate views of the saved activations and of their gradients, cut once.
        var a = new GateViews(g, v, h);
        var d = new GateViews(dG, v, h);
        long? sigmoidAtOnce = s == 0 ? null : (pO is null ? s : s - 1) * h;
        var aSig = sigmoidAtOnce is null ? null : g.narrow(2, h, sigmoidAtOnce.Value).unbind(0);
        var dSig = sigmoidAtOnce is null ? null : dG.narrow(2, h, sigmoidAtOnce.Value).unbind(0);
        var ct = cs.unbind(0);
        var hct = hcs?.unbind(0);

        // Double-buffered recurrent gradients and scratch, all [rows, ·].
        var dyNext = empty_like(dyOut);
        var dcNext = empty_like(dcOut);
        var dgsNext = dgsOut is null ? null : empty_like(dgsOut);
        var dyNew = empty_like(dyOut);
        var scratch = empty(new[] { rows, Math.Max(s, 1) * h }, g.dtype, g.device);
        var scratchH = scratch.narrow(1, 0, h);
        var scratchSig = sigmoidAtOnce is null ? null : scratch.narrow(1, 0, sigmoidAtOnce.Value);
        var gateGradViews = dgsOut is null ? null : new[] { dgsOut.view(rows, s, h).unbind(1), dgsNext!.view(rows, s, h).unbind(1) };
        Tensor? passY = null, passC = null, passG = null;
        if (mask is not null)
        {
            passY = empty_like(dyOut);
            passC = empty_like(dcOut);
            passG = dgsOut is null ? null : empty_like(dgsOut);
        }

        return () =>
        {
            var (dy, dc, dgs) = (dyOut, dcOut, dgsOut);
            var (dyN, dcN, dgsN) = (dyNext, dcNext, dgsNext);
            for (var t = steps - 1; t >= 0; t--)
            {
                var cPrev = ct[t];
                var c = ct[t + 1];
                var hc = hct is null ? c : hct[t];
                var z = a.Z[t];
                var i = a.I?[t];
                var f = a.F?[t];
                var o = a.O?[t];
                var daZ = d.Z[t];
                var daI = d.I?[t];
                var daF = d.F?[t];
                var daO = d.O?[t];

                dyNew.copy_(dOut[t]).add_(dy, Scalars.One);
                if (mask is not null)
                {
                    // A padded step passes the state's gradient straight through and contributes nothing itself.
                    passY!.copy_(dy).mul_(mask.Hold[t]);
                    passC!.copy_(dc).mul_(mask.Hold[t]);
                    passG?.copy_(dgs!).mul_(mask.Hold[t]);
                    dyNew.mul_(mask.Keep[t]);
                    dc.mul_(mask.Keep[t]);
                    dgs?.mul_(mask.Keep[t]);
                }

                // Gradients reaching this step's gate activations through the next step's gate recurrence.
                var gateGrad = dgs is null ? null : gateGradViews![ReferenceEquals(dgs, dgsOut) ? 0 : 1];

                // y = h(c) ⊙ o: dc += dy ⊙ o ⊙ h'(c).
                var dHc = o is null ? scratchH.copy_(dyNew) : scratchH.copy_(dyNew).mul_(o);
                dc.add_(dHc, Scalars.One);
                if (hct is not null)
                {
                    dc.sub_(dHc.mul_(hc).mul_(hc));
                }

                if (o is not null)
                {
                    daO!.copy_(dyNew).mul_(hc);
                    if (gateGrad is not null)
                    {
                        daO.add_(gateGrad[s - 1], Scalars.One);
                    }

                    if (pO is not null)
                    {
                        Derivatives.Sigmoid(daO, o, scratchH);
                        dc.addcmul_(daO, pO, Scalars.One);
                    }
                }

                // c = z ⊙ i + c(t−1) ⊙ f.
                daZ.copy_(dc);
                if (i is not null)
                {
                    daZ.mul_(i);
                }

                if (v.BlockActivation)
                {
                    Derivatives.Tanh(daZ, z, scratchH);
                }

                if (i is not null)
                {
                    daI!.copy_(dc);
                    if (v.CoupledInputForget)
                    {
                        daI.mul_(scratchH.copy_(z).sub_(cPrev));
                    }
                    else
                    {
                        daI.mul_(z);
                    }

                    if (gateGrad is not null)
                    {
                        daI.add_(gateGrad[0], Scalars.One);
                    }
                }

                if (f is not null)
                {
                    daF!.copy_(dc).mul_(cPrev);
                    if (gateGrad is not null)
                    {
                        daF.add_(gateGrad[v.InputGate ? 1 : 0], Scalars.One);
                    }
                }

                if (dSig is not null)
                {
                    Derivatives.Sigmoid(dSig[t], aSig![t], scratchSig!);
                }

                dcN.copy_(dc);
                if (v.CoupledInputForget)
                {
                    dcN.sub_(scratchH.copy_(dc).mul_(i!));
                }
                else if (f is not null)
                {
                    dcN.mul_(f);
                }

                if (pI is not null)
                {
                    dcN.addcmul_(daI!, pI, Scalars.One);
                }

                if (pF is not null)
                {
                    dcN.addcmul_(daF!, pF, Scalars.One);
                }

                dyN.addmm_(d.All[t], weightHh, 0, 1);
                if (v.GateRecurrence)
                {
                    dgsN!.addmm_(d.Sigmoids![t], weightGates!, 0, 1);
                }

                if (mask is not null)
                {
                    dyN.add_(passY!, Scalars.One);
                    dcN.add_(passC!, Scalars.One);
                    dgsN?.add_(passG!, Scalars.One);
                }

                (dy, dyN) = (dyN, dy);
                (dc, dcN) = (dcN, dc);
                (dgs, dgsN) = (dgsN, dgs);
            }

            // An odd number of steps leaves the result in the other buffer.
            if (!ReferenceEquals(dy, dyOut))
            {
                dyOut.copy_(dy);
                dcOut.copy_(dc);
                dgsOut?.copy_(dgs!);
            }
        };
    }

    /// <summary>Per-step [B,H] views of each gate block of a [T,B,K] tensor (null where the variant has no such gate).</summary>
    private sealed class GateViews
    {
        public GateViews(Tensor gates, LstmVariant v, long h)
        {
            var steps = gates.shape[0];
            var byBlock = gates.view(steps, gates.shape[1], v.Blocks, h);
            All = gates.unbind(0);
            Z = byBlock.select(2, 0).unbind(0);
            I = v.InputGate ? byBlock.select(2, v.InputBlock).unbind(0) : null;
            F = v.ForgetGate ? byBlock.select(2, v.ForgetBlock).unbind(0) : null;
            O = v.OutputGate ? byBlock.select(2, v.OutputBlock).unbind(0) : null;
            Sigmoids = v.SigmoidGates > 0 ? gates.narrow(2, h, v.SigmoidGates * h).unbind(0) : null;
        }

        public Tensor[] All { get; }

        public Tensor[] Z { get; }

        public Tensor[]? I { get; }

        public Tensor[]? F { get; }

        public Tensor[]? O { get; }

        /// <summary>All sigmoid gates together, [B, S·H].</summary>
        public Tensor[]? Sigmoids { get; }
    }

    private sealed record Saved(
        LstmVariant Variant,
        bool Managed,
        Tensor Gates,
        Tensor Ys,
        Tensor Cs,
        Tensor? Hcs,
        Tensor? GateState,
        Tensor? Mask,
        Tensor WeightHh,
        Tensor? PeepholeI,
        Tensor? PeepholeF,
        Tensor? PeepholeO,
        Tensor? WeightGates);
}
