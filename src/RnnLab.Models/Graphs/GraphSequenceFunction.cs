using System.Numerics;
using RnnLab.CellGraphs;
using RnnLab.Models.Kernels;
using TorchSharp;
using static TorchSharp.torch;
using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;

namespace RnnLab.Models.Graphs;

/// <summary>
/// The recurrence of a compiled cell graph over a whole sequence as one autograd node, as the hand-written kernels do.
/// Every value of every step lives in one store [T, slots, B·H]. The forward pass is graph-free: each group of affine
/// maps is one matrix product per step, each element-wise region runs in vectorised managed loops over the step's
/// slots. The backward pass runs through time by hand: regions in reverse with their derivatives, each group's source
/// gradient one product per step; each group's weight gradient is one matmul over the whole sequence at the end.
/// Small shapes (<see cref="ManagedStepLoops"/>) do the per-step products in managed code too, so a step makes no
/// native call; larger ones use libtorch's matmul.
/// </summary>
internal sealed class GraphSequenceFunction : autograd.MultiTensorFunction<GraphSequenceFunction>
{
    public override string Name => "GraphSequence";

    /// <summary>Outputs [T,B,H] followed by the final states, from projected [T,B,E·H] (the exported input-side
    /// values), the initial states and an optional mask [T,B,1].</summary>
    public static Tensor[] Run(StepProgram program, Tensor projected, Tensor? mask, Tensor[] state, Func<string, Tensor> parameter)
    {
        var h = state[0].shape[1];
        var vars = new List<object?> { projected, mask };
        vars.AddRange(state);
        foreach (var g in program.Instructions.Where(i => i.Op == CellOp.Linear))
        {
            vars.Add(g.Nodes.Length == 1 ? parameter("w_" + g.Nodes[0]) : cat(g.Nodes.Select(n => parameter("w_" + n)).ToArray(), 0));
            // Members without a bias add zeros: the bias of a group is one vector.
            vars.Add(cat(g.Nodes.Select((n, k) => g.HasBias![k] ? parameter("b_" + n) : zeros(h, projected.dtype, projected.device)).ToArray(), 0));
        }

        foreach (var r in program.Instructions.Where(i => i.Op == StepProgram.Fused))
        {
            vars.Add(r.Nodes.Length == 0 ? empty(new long[] { 0, h }, projected.dtype, projected.device) : stack(r.Nodes.Select(parameter).ToArray()));
        }

        vars.Add(program);
        vars.Add(is_grad_enabled());
        return [.. apply(vars.ToArray()!)];
    }

    public override List<Tensor> forward(autograd.AutogradContext ctx, params object[] vars)
    {
        var program = (StepProgram)vars[^2];
        var keep = (bool)vars[^1];
        var projected = (Tensor)vars[0];
        var stepMask = vars[1] as Tensor;
        var at = 2;
        var state0 = vars.Skip(at).Take(program.StateCount).Cast<Tensor>().ToArray();
        at += program.StateCount;
        var groups = program.Instructions.Where(i => i.Op == CellOp.Linear).ToArray();
        var weights = Enumerable.Range(0, groups.Length).Select(g => ((Tensor)vars[at + (2 * g)]).detach()).ToArray();
        var biases = Enumerable.Range(0, groups.Length).Select(g => ((Tensor)vars[at + (2 * g) + 1]).detach()).ToArray();
        at += 2 * groups.Length;
        var regionParameters = vars.Skip(at).Take(program.Instructions.Count - groups.Length).Cast<Tensor>().ToArray();

        using var scope = NewDisposeScope();
        var (steps, batch, h) = ((int)projected.shape[0], (int)projected.shape[1], (int)state0[0].shape[1]);
        var shape = new Shape(program, steps, batch, h, ManagedStepLoops.Applies(batch, h, projected.dtype, projected.device));
        var sv = new Saved(
            shape,
            empty(new long[] { steps, program.SlotCount, batch * h }, projected.dtype, projected.device),
            stepMask?.reshape(steps, batch).contiguous(),
            weights.Select(w => w.contiguous()).ToArray(),
            biases.Select(b => b.contiguous()).ToArray(),
            regionParameters.Select(p => p.detach().contiguous()).ToArray());
        // The exported input-side values of every step in one copy: [T,B,E,H] → slots [T,E,B·H].
        if (program.ExportCount > 0)
        {
            sv.Store.narrow(1, program.StateCount, program.ExportCount).view(steps, program.ExportCount, batch, h)
                .copy_(projected.view(steps, batch, program.ExportCount, h).permute(0, 2, 1, 3));
        }

        var outputs = empty(new long[] { steps, batch, h }, projected.dtype, projected.device);
        var final = empty(new long[] { program.StateCount, batch * h }, projected.dtype, projected.device);
        var first = sv.Store[0];
        for (var s = 0; s < program.StateCount; s++)
        {
            first[s].view(batch, h).copy_(state0[s]);
        }

        if (projected.dtype == ScalarType.Float64)
        {
            Forward<double>(sv, outputs, final);
        }
        else
        {
            Forward<float>(sv, outputs, final);
        }

        var results = new List<Tensor> { outputs.MoveToOuterDisposeScope() };
        results.AddRange(Enumerable.Range(0, program.StateCount).Select(s => final[s].view(batch, h).clone().MoveToOuterDisposeScope()));
        if (keep)
        {
            sv.MoveToOuterDisposeScope();
            ctx.save_data("saved", sv);
        }

        return results;
    }

    public override List<Tensor> backward(autograd.AutogradContext ctx, List<Tensor> grads)
    {
        var sv = (Saved)ctx.get_data("saved");
        var (program, steps, batch, h, _) = sv.Shape;
        using var scope = NewDisposeScope();
        var dtype = sv.Store.dtype;
        var device = sv.Store.device;
        var dProjectedSlots = zeros(new long[] { steps, program.ExportCount, batch * h }, dtype, device);
        var dGroups = sv.Weights.Select(w => zeros(new long[] { steps, batch, w.shape[0] }, dtype, device)).ToArray();
        var dRegionParameters = sv.RegionParameters.Select(p => zeros_like(p)).ToArray();
        var dState = stack(grads.Skip(1).Take(program.StateCount).Select(g => g.reshape(batch * h)).ToArray()).contiguous();
        var dOut = grads[0].contiguous();
        if (dtype == ScalarType.Float64)
        {
            Backward<double>(sv, dOut, dState, dProjectedSlots, dGroups, dRegionParameters);
        }
        else
        {
            Backward<float>(sv, dOut, dState, dProjectedSlots, dGroups, dRegionParameters);
        }

        var result = new List<Tensor?>
        {
            dProjectedSlots.view(steps, program.ExportCount, batch, h).permute(0, 2, 1, 3).reshape(steps, batch, program.ExportCount * h),
            null,
        };
        result.AddRange(Enumerable.Range(0, program.StateCount).Select(s => dState[s].view(batch, h)));
        var groups = program.Instructions.Where(i => i.Op == CellOp.Linear).ToArray();
        for (var g = 0; g < groups.Length; g++)
        {
            var source = sv.Store.select(1, groups[g].Inputs[0]).reshape(steps * batch, h);
            var flat = dGroups[g].view(steps * batch, -1);
            result.Add(flat.t().mm(source));
            result.Add(flat.sum(0));
        }

        result.AddRange(dRegionParameters);
        result.Add(null);
        result.Add(null);
        foreach (var x in result)
        {
            x?.MoveToOuterDisposeScope();
        }

        return result!;
    }

    private static void Forward<T>(Saved sv, Tensor outputs, Tensor final)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var (program, steps, batch, h, managed) = sv.Shape;
        var e = batch * h;
        var width = program.SlotCount * e;
        var mask = sv.Mask is null ? null : TensorMemory.Of<T>(sv.Mask).ToArray();
        var scratch = new T[sv.Weights.Length == 0 ? 0 : sv.Weights.Max(w => (int)w.shape[0])];
        for (var t = 0; t < steps; t++)
        {
            var g = 0;
            var r = 0;
            foreach (var code in program.Instructions)
            {
                if (code.Op == CellOp.Linear)
                {
                    LinearForward<T>(sv, t, code, g++, managed, scratch);
                }
                else
                {
                    code.Region!.Forward(TensorMemory.Of<T>(sv.Store).Slice(t * width, width), TensorMemory.Of<T>(sv.RegionParameters[r++]), e, h);
                }
            }

            // s' = s + m (n − s) for every state; out = m n.
            var store = TensorMemory.Of<T>(sv.Store);
            var block = store.Slice(t * width, width);
            var next = t + 1 < steps ? store.Slice((t + 1) * width, program.StateCount * e) : TensorMemory.Of<T>(final);
            var output = TensorMemory.Of<T>(outputs).Slice(t * e, e);
            for (var s = 0; s < program.StateCount; s++)
            {
                var n = block.Slice(program.Outputs[s] * e, e);
                var old = block.Slice(s * e, e);
                var into = next.Slice(s * e, e);
                if (mask is null)
                {
                    n.CopyTo(into);
                    continue;
                }

                for (var b = 0; b < batch; b++)
                {
                    var m = mask[(t * batch) + b];
                    for (var j = b * h; j < (b + 1) * h; j++)
                    {
                        into[j] = old[j] + (m * (n[j] - old[j]));
                    }
                }
            }

            var n0 = block.Slice(program.Outputs[0] * e, e);
            n0.CopyTo(output);
            if (mask is not null)
            {
                for (var b = 0; b < batch; b++)
                {
                    TensorPrimitives.Multiply(output.Slice(b * h, h), mask[(t * batch) + b], output.Slice(b * h, h));
                }
            }
        }
    }

    private static void Backward<T>(Saved sv, Tensor dOutTensor, Tensor dStateTensor, Tensor dProjected, Tensor[] dGroups, Tensor[] dRegionParameters)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var (program, steps, batch, h, managed) = sv.Shape;
        var e = batch * h;
        var width = program.SlotCount * e;
        var mask = sv.Mask is null ? null : TensorMemory.Of<T>(sv.Mask).ToArray();
        var adjointTensor = zeros(new long[] { program.SlotCount, e }, sv.Store.dtype, sv.Store.device);
        var scratch = new T[e];
        var transposed = managed ? sv.Weights.Select(w => w.t().contiguous()).ToArray() : [];
        for (var t = steps - 1; t >= 0; t--)
        {
            var adjoints = TensorMemory.Of<T>(adjointTensor);
            adjoints.Clear();
            var dState = TensorMemory.Of<T>(dStateTensor);
            var dOut = TensorMemory.Of<T>(dOutTensor).Slice(t * e, e);

            // The new values take m of each gradient (output and next state); the old states keep the rest.
            var d0 = adjoints.Slice(program.Outputs[0] * e, e);
            TensorPrimitives.Add(d0, dOut, d0);
            for (var s = 0; s < program.StateCount; s++)
            {
                var dn = adjoints.Slice(program.Outputs[s] * e, e);
                TensorPrimitives.Add(dn, dState.Slice(s * e, e), dn);
            }

            if (mask is not null)
            {
                for (var b = 0; b < batch; b++)
                {
                    var m = mask[(t * batch) + b];
                    foreach (var slot in program.Outputs.Distinct())
                    {
                        var row = adjoints.Slice((slot * e) + (b * h), h);
                        TensorPrimitives.Multiply(row, m, row);
                    }

                    // The output's own gradient was added before masking; the state's remainder is (1 − m).
                    for (var s = 0; s < program.StateCount; s++)
                    {
                        var row = dState.Slice((s * e) + (b * h), h);
                        TensorPrimitives.Multiply(row, T.One - m, row);
                    }
                }
            }
            else
            {
                dState.Clear();
            }

            var block = TensorMemory.Of<T>(sv.Store).Slice(t * width, width);
            var g = sv.Weights.Length - 1;
            var r = sv.RegionParameters.Length - 1;
            for (var i = program.Instructions.Count - 1; i >= 0; i--)
            {
                var code = program.Instructions[i];
                if (code.Op == CellOp.Linear)
                {
                    LinearBackward<T>(sv, t, code, g, managed, dGroups[g], managed ? transposed[g] : null, adjointTensor);
                    g--;
                    continue;
                }

                code.Region!.Backward(
                    block, TensorMemory.Of<T>(sv.RegionParameters[r]), TensorMemory.Of<T>(adjointTensor),
                    TensorMemory.Of<T>(dRegionParameters[r]), scratch, e, h);
                r--;
            }

            adjoints = TensorMemory.Of<T>(adjointTensor);
            dState = TensorMemory.Of<T>(dStateTensor);
            for (var s = 0; s < program.StateCount; s++)
            {
                var into = dState.Slice(s * e, e);
                TensorPrimitives.Add(into, adjoints.Slice(s * e, e), into);
            }

            adjoints.Slice(program.StateCount * e, program.ExportCount * e)
                .CopyTo(TensorMemory.Of<T>(dProjected).Slice(t * program.ExportCount * e, program.ExportCount * e));
        }
    }

    // A group's outputs: the members' slots (consecutive) of step t, [K, B·H], from its source slot [B, H].
    private static void LinearForward<T>(Saved sv, int t, StepProgram.Instruction code, int g, bool managed, T[] scratch)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var (program, _, batch, h, _) = sv.Shape;
        var e = batch * h;
        var k = code.Outputs.Length;
        if (!managed)
        {
            var step = sv.Store[t];
            var all = nn.functional.linear(step[code.Inputs[0]].view(batch, h), sv.Weights[g], sv.Biases[g]);
            step.narrow(0, code.Outputs[0], k).view(k, batch, h).copy_(all.view(batch, k, h).permute(1, 0, 2));
            return;
        }

        var block = TensorMemory.Of<T>(sv.Store).Slice(t * program.SlotCount * e, program.SlotCount * e);
        var weight = TensorMemory.Of<T>(sv.Weights[g]);
        var bias = TensorMemory.Of<T>(sv.Biases[g]);
        var y = scratch.AsSpan(0, k * h);
        for (var b = 0; b < batch; b++)
        {
            bias.CopyTo(y);
            MatrixVector.Multiply<T>(weight, block.Slice((code.Inputs[0] * e) + (b * h), h), y, accumulate: true);
            for (var m = 0; m < k; m++)
            {
                y.Slice(m * h, h).CopyTo(block.Slice(((code.Outputs[0] + m) * e) + (b * h), h));
            }
        }
    }

    // Gathers the group's output gradient of step t into dGroup[t] ([B, K·H], kept for the weight gradient) and adds
    // its product with the weights to the source's gradient.
    private static void LinearBackward<T>(Saved sv, int t, StepProgram.Instruction code, int g, bool managed, Tensor dGroup, Tensor? transposed, Tensor adjointTensor)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var (_, _, batch, h, _) = sv.Shape;
        var e = batch * h;
        var k = code.Outputs.Length;
        if (!managed)
        {
            var dAll = dGroup[t];
            dAll.view(batch, k, h).copy_(adjointTensor.narrow(0, code.Outputs[0], k).view(k, batch, h).permute(1, 0, 2));
            adjointTensor[code.Inputs[0]].view(batch, h).add_(dAll.mm(sv.Weights[g]), Scalars.One);
            return;
        }

        var adjoints = TensorMemory.Of<T>(adjointTensor);
        var d = TensorMemory.Of<T>(dGroup).Slice(t * batch * k * h, batch * k * h);
        var wT = TensorMemory.Of<T>(transposed!);
        for (var b = 0; b < batch; b++)
        {
            var row = d.Slice(b * k * h, k * h);
            for (var m = 0; m < k; m++)
            {
                adjoints.Slice(((code.Outputs[0] + m) * e) + (b * h), h).CopyTo(row.Slice(m * h, h));
            }

            MatrixVector.Multiply<T>(wT, row, adjoints.Slice((code.Inputs[0] * e) + (b * h), h), accumulate: true);
        }
    }

    private sealed record Shape(StepProgram Program, int Steps, int Batch, int Hidden, bool Managed);

    private sealed record Saved(Shape Shape, Tensor Store, Tensor? Mask, Tensor[] Weights, Tensor[] Biases, Tensor[] RegionParameters)
    {
        public void MoveToOuterDisposeScope()
        {
            foreach (var x in new[] { Store, Mask }.Concat(Weights).Concat(Biases).Concat(RegionParameters))
            {
                x?.MoveToOuterDisposeScope();
            }
        }
    }
}
