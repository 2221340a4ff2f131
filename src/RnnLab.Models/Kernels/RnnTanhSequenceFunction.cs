using TorchSharp;
using static TorchSharp.torch;

namespace RnnLab.Models.Kernels;

/// <summary>The Elman recurrence over a whole sequence as one autograd node (see <see cref="LstmSequenceFunction"/>).</summary>
internal sealed class RnnTanhSequenceFunction : autograd.MultiTensorFunction<RnnTanhSequenceFunction>
{
    public override string Name => "RnnTanhSequence";

    /// <summary>projected [T,B,H] (U x + b) is overwritten with the unmasked new states.</summary>
    public static Tensor[] Run(Tensor projected, Tensor weightHh, Tensor h0, Tensor? mask) =>
        [.. apply(projected, weightHh, h0, mask, is_grad_enabled())];

    public override List<Tensor> forward(autograd.AutogradContext ctx, params object[] vars)
    {
        var g = (Tensor)vars[0];
        var w = (Tensor)vars[1];
        var h0 = (Tensor)vars[2];
        var maskTensor = vars[3] as Tensor;
        var keep = (bool)vars[4];

        using var scope = NewDisposeScope();
        var steps = (int)g.shape[0];
        var batch = g.shape[1];
        var h = h0.shape[1];
        var mask = StepMask.From(maskTensor);
        var hs = empty(new[] { steps + 1, batch, h }, g.dtype, g.device);
        var outs = mask is null ? null : empty(new[] { steps, batch, h }, g.dtype, g.device);
        hs[0].copy_(h0);
        var wT = w.t().contiguous();
        var gt = g.unbind(0);
        var ht = hs.unbind(0);
        var outt = outs?.unbind(0);
        for (var t = 0; t < steps; t++)
        {
            var a = gt[t].addmm_(ht[t], wT).tanh_();
            ht[t + 1].copy_(a);
            if (mask is not null)
            {
                outt![t].copy_(a).mul_(mask.Keep[t]);
                mask.Blend(t, ht[t + 1], ht[t]);
            }
        }

        var results = new List<Tensor> { outs ?? hs.narrow(0, 1, steps).clone(), hs[steps].clone() };
        foreach (var r in results)
        {
            r.MoveToOuterDisposeScope();
        }

        if (keep)
        {
            ctx.save_data("saved", new Saved(g, hs.MoveToOuterDisposeScope(), maskTensor, w));
        }

        return results;
    }

    public override List<Tensor> backward(autograd.AutogradContext ctx, List<Tensor> grads)
    {
        var sv = (Saved)ctx.get_data("saved");
        var g = sv.States;
        var steps = (int)g.shape[0];
        var batch = g.shape[1];
        var h = g.shape[2];

        using var scope = NewDisposeScope();
        var mask = StepMask.From(sv.Mask);
        var dG = empty_like(g);
        var dOut = grads[0].unbind(0);
        var dh = grads[1].clone();
        var dhNext = empty_like(dh);
        var scratch = empty_like(dh);
        var pass = mask is null ? null : empty_like(dh);
        var gt = g.unbind(0);
        var dgt = dG.unbind(0);
        for (var t = steps - 1; t >= 0; t--)
        {
            var da = dgt[t].copy_(dOut[t]).add_(dh, Scalars.One);
            if (mask is not null)
            {
                pass!.copy_(dh).mul_(mask.Hold[t]);
                da.mul_(mask.Keep[t]);
            }

            Derivatives.Tanh(da, gt[t], scratch);
            dhNext.addmm_(da, sv.WeightHh, 0, 1);
            if (pass is not null)
            {
                dhNext.add_(pass, Scalars.One);
            }

            (dh, dhNext) = (dhNext, dh);
        }

        var dW = dG.view(steps * batch, h).t().mm(sv.Hs.narrow(0, 0, steps).reshape(steps * batch, h));
        var result = new List<Tensor?> { dG, dW, dh, null, null };
        foreach (var x in result)
        {
            x?.MoveToOuterDisposeScope();
        }

        return result!;
    }

    private sealed record Saved(Tensor States, Tensor Hs, Tensor? Mask, Tensor WeightHh);
}
