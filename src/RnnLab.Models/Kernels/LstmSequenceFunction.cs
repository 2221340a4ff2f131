using RnnLab.Models.Cells;
using TorchSharp;
using static TorchSharp.torch;

namespace RnnLab.Models.Kernels;

/// <summary>
/// The LSTM family's recurrence over a whole sequence as one autograd node. Forward runs without a graph and keeps
/// the gate activations; backward is the hand-derived BPTT: per step only the dy/dc recurrence, then the recurrent
/// weight gradients of all steps as single large matmuls.
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
        var mask = StepMask.From(maskTensor);
        var ys = empty(new[] { steps + 1, batch, h }, g.dtype, g.device);
        var cs = empty(new[] { steps + 1, batch, h }, g.dtype, g.device);
        var hcs = v.OutputActivation ? empty(new[] { steps, batch, h }, g.dtype, g.device) : null;
        var gateState = v.GateRecurrence ? empty(new[] { steps + 1, batch, s * h }, g.dtype, g.device) : null;
        var outs = mask is null ? null : empty(new[] { steps, batch, h }, g.dtype, g.device);
        ys[0].copy_(y0);
        cs[0].copy_(c0);
        gateState?[0].copy_(gate0!);

        var gt = g.unbind(0);
        var yt = ys.unbind(0);
        var ct = cs.unbind(0);
        var hct = hcs?.unbind(0);
        var gst = gateState?.unbind(0);
        var outt = outs?.unbind(0);
        var rT = weightHh.t();
        var rgT = weightGates?.t();
        var peepO = v.Peepholes && v.OutputGate;

        for (var t = 0; t < steps; t++)
        {
            using var stepScope = NewDisposeScope();
            var a = gt[t];
            var cPrev = ct[t];
            var c = ct[t + 1];
            var y = yt[t + 1];
            a.addmm_(yt[t], rT);
            if (v.GateRecurrence)
            {
                a.narrow(1, h, s * h).addmm_(gst![t], rgT!);
            }

            var z = a.narrow(1, 0, h);
            var i = v.InputGate ? a.narrow(1, v.InputBlock * h, h) : null;
            var f = v.ForgetGate ? a.narrow(1, v.ForgetBlock * h, h) : null;
            var o = v.OutputGate ? a.narrow(1, v.OutputBlock * h, h) : null;
            if (v.Peepholes)
            {
                i?.addcmul_(cPrev, pI!, Scalars.One);
                f?.addcmul_(cPrev, pF!, Scalars.One);
            }

            if (s > 0)
            {
                // All sigmoid gates in one call unless o must wait for c(t) through its peephole.
                a.narrow(1, h, (peepO ? s - 1 : s) * h).sigmoid_();
            }

            if (v.BlockActivation)
            {
                z.tanh_();
            }

            c.copy_(z);
            if (v.CoupledInputForget)
            {
                c.sub_(cPrev).mul_(i!).add_(cPrev);
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
                    c.add_(cPrev);
                }
            }

            if (peepO)
            {
                o!.addcmul_(c, pO!, Scalars.One).sigmoid_();
            }

            var hc = c;
            if (hct is not null)
            {
                hc = hct[t].copy_(c).tanh_();
            }

            y.copy_(hc);
            if (o is not null)
            {
                y.mul_(o);
            }

            if (gst is not null)
            {
                gst[t + 1].copy_(a.narrow(1, h, s * h));
            }

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
            ctx.save_data("saved", new Saved(v, g, ys, cs, hcs, gateState, maskTensor, weightHh, pI, pF, pO, weightGates));
            foreach (var b in new[] { ys, cs, hcs, gateState })
            {
                b?.MoveToOuterDisposeScope();
            }
        }

        return results;
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
        var mask = StepMask.From(sv.Mask);
        var dG = empty_like(g);
        var dOut = grads[0].unbind(0);
        var dy = grads[1].clone();
        var dc = grads[2].clone();
        var dgs = v.GateRecurrence ? grads[3].clone() : null;
        var gt = g.unbind(0);
        var dgt = dG.unbind(0);
        var yt = sv.Ys.unbind(0);
        var ct = sv.Cs.unbind(0);
        var hct = sv.Hcs?.unbind(0);
        var pI = v.Peepholes && v.InputGate ? sv.PeepholeI : null;
        var pF = v.Peepholes && v.ForgetGate ? sv.PeepholeF : null;
        var pO = v.Peepholes && v.OutputGate ? sv.PeepholeO : null;

        for (var t = steps - 1; t >= 0; t--)
        {
            using var stepScope = NewDisposeScope();
            var a = gt[t];
            var da = dgt[t];
            var cPrev = ct[t];
            var c = ct[t + 1];
            var hc = hct is null ? c : hct[t];
            var z = a.narrow(1, 0, h);
            var i = v.InputGate ? a.narrow(1, v.InputBlock * h, h) : null;
            var f = v.ForgetGate ? a.narrow(1, v.ForgetBlock * h, h) : null;
            var o = v.OutputGate ? a.narrow(1, v.OutputBlock * h, h) : null;
            var daZ = da.narrow(1, 0, h);
            var daI = v.InputGate ? da.narrow(1, v.InputBlock * h, h) : null;
            var daF = v.ForgetGate ? da.narrow(1, v.ForgetBlock * h, h) : null;
            var daO = v.OutputGate ? da.narrow(1, v.OutputBlock * h, h) : null;

            Tensor? passY = null, passC = null, passG = null;
            var dyNew = dOut[t] + dy;
            var dcNew = dc;
            var dgNew = dgs;
            if (mask is not null)
            {
                passY = dy.mul(mask.Hold[t]);
                passC = dc.mul(mask.Hold[t]);
                passG = dgs?.mul(mask.Hold[t]);
                dyNew.mul_(mask.Keep[t]);
                dcNew = dc.mul(mask.Keep[t]);
                dgNew = dgs?.mul(mask.Keep[t]);
            }

            var gateGrad = dgNew is null ? null : dgNew.view(batch, s, h).unbind(1);

            // Through y = h(c) ⊙ o.
            var dHc = o is null ? dyNew : dyNew * o;
            if (hct is not null)
            {
                dHc.mul_(1 - hc * hc);
            }

            dcNew = dcNew + dHc;
            if (o is not null)
            {
                daO!.copy_(dyNew).mul_(hc);
                if (gateGrad is not null)
                {
                    daO.add_(gateGrad[s - 1]);
                }

                daO.mul_(o).mul_(1 - o);
                if (pO is not null)
                {
                    dcNew.addcmul_(daO, pO, Scalars.One);
                }
            }

            // Through c = z ⊙ i + c(t−1) ⊙ f.
            daZ.copy_(dcNew);
            if (i is not null)
            {
                daZ.mul_(i);
            }

            if (v.BlockActivation)
            {
                daZ.mul_(1 - z * z);
            }

            var dcPrev = v.CoupledInputForget ? dcNew * (1 - i!) : f is null ? dcNew.clone() : dcNew * f;
            if (i is not null)
            {
                daI!.copy_(dcNew).mul_(v.CoupledInputForget ? z - cPrev : z);
                if (gateGrad is not null)
                {
                    daI.add_(gateGrad[0]);
                }

                daI.mul_(i).mul_(1 - i);
                if (pI is not null)
                {
                    dcPrev.addcmul_(daI, pI, Scalars.One);
                }
            }

            if (f is not null)
            {
                daF!.copy_(dcNew).mul_(cPrev);
                if (gateGrad is not null)
                {
                    daF.add_(gateGrad[v.InputGate ? 1 : 0]);
                }

                daF.mul_(f).mul_(1 - f);
                if (pF is not null)
                {
                    dcPrev.addcmul_(daF, pF, Scalars.One);
                }
            }

            var dyPrev = da.mm(sv.WeightHh);
            Tensor? dgPrev = null;
            if (v.GateRecurrence)
            {
                dgPrev = da.narrow(1, h, s * h).mm(sv.WeightGates!);
            }

            if (mask is not null)
            {
                dyPrev.add_(passY!);
                dcPrev.add_(passC!);
                dgPrev?.add_(passG!);
            }

            dy = dyPrev.MoveToOuterDisposeScope();
            dc = dcPrev.MoveToOuterDisposeScope();
            dgs = dgPrev?.MoveToOuterDisposeScope();
        }

        var flat = dG.view(steps * batch, k);
        var dWeightHh = flat.t().mm(sv.Ys.narrow(0, 0, steps).reshape(steps * batch, h));
        Tensor? Peephole(Tensor? p, int block, Tensor cells) =>
            p is null ? null : (dG.narrow(2, block * h, h) * cells).sum(new long[] { 0, 1 });
        var dPi = Peephole(pI, v.InputBlock, sv.Cs.narrow(0, 0, steps));
        var dPf = Peephole(pF, v.ForgetBlock, sv.Cs.narrow(0, 0, steps));
        var dPo = Peephole(pO, v.OutputBlock, sv.Cs.narrow(0, 1, steps));
        Tensor? dWeightGates = null;
        if (v.GateRecurrence)
        {
            dWeightGates = flat.narrow(1, h, s * h).t().mm(sv.GateState!.narrow(0, 0, steps).reshape(steps * batch, s * h));
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

    private sealed record Saved(
        LstmVariant Variant,
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
