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
        // Every tensor the steps revisit is found once here, so a step opens its memory without a native call.
        var store = PinnedMemory<T>.Of(sv.Store);
        var outputMemory = PinnedMemory<T>.Of(outputs);
        var finalMemory = PinnedMemory<T>.Of(final);
        var regionParameters = sv.RegionParameters.Select(PinnedMemory<T>.Of).ToArray();
        var weights = managed ? sv.Weights.Select(PinnedMemory<T>.Of).ToArray() : [];
        var biases = managed ? sv.Biases.Select(PinnedMemory<T>.Of).ToArray() : [];
        for (var t = 0; t < steps; t++)
        {
            var block = store.Span.Slice(t * width, width);
            var g = 0;
            var r = 0;
            foreach (var code in program.Instructions)
            {
                if (code.Op != CellOp.Linear)
                {
                    code.Region!.Forward(block, regionParameters[r++].Span, e, h);
                }
                else if (managed)
                {
                    LinearForward(batch, h, code, block, weights[g].Span, biases[g].Span, scratch);
                    g++;
                }
                else
                {
                    LinearForward(sv, t, code, g++);
                }
            }

            // s' = s + m (n − s) for every state; out = m n.
            var next = t + 1 < steps ? store.Span.Slice((t + 1) * width, program.StateCount * e) : finalMemory.Span;
            var output = outputMemory.Span.Slice(t * e, e);
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
        // As in the forward pass: every tensor's memory is found once.
        var store = PinnedMemory<T>.Of(sv.Store);
        var adjointMemory = PinnedMemory<T>.Of(adjointTensor);
        var dStateMemory = PinnedMemory<T>.Of(dStateTensor);
        var dOutMemory = PinnedMemory<T>.Of(dOutTensor);
        var dProjectedMemory = PinnedMemory<T>.Of(dProjected);
        var regionParameters = sv.RegionParameters.Select(PinnedMemory<T>.Of).ToArray();
        var dRegionParameterMemory = dRegionParameters.Select(PinnedMemory<T>.Of).ToArray();
        var dGroupMemory = managed ? dGroups.Select(PinnedMemory<T>.Of).ToArray() : [];
        var transposedMemory = transposed.Select(PinnedMemory<T>.Of).ToArray();
        for (var t = steps - 1; t >= 0; t--)
        {
            var adjoints = adjointMemory.Span;
            adjoints.Clear();
            var dState = dStateMemory.Span;
            var dOut = dOutMemory.Span.Slice(t * e, e);

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

            var block = store.Span.Slice(t * width, width);
            var g = sv.Weights.Length - 1;
            var r = sv.RegionParameters.Length - 1;
            for (var i = program.Instructions.Count - 1; i >= 0; i--)
            {
                var code = program.Instructions[i];
                if (code.Op != CellOp.Linear)
                {
                    code.Region!.Backward(block, regionParameters[r].Span, adjoints, dRegionParameterMemory[r].Span, scratch, e, h);
                    r--;
                }
                else if (managed)
                {
                    LinearBackward(batch, h, t, code, adjoints, dGroupMemory[g].Span, transposedMemory[g].Span);
                    g--;
                }
                else
                {
                    LinearBackward(sv, t, code, g--, dGroups, adjointTensor);
                }
            }

            for (var s = 0; s < program.StateCount; s++)
            {
                var into = dState.Slice(s * e, e);
                TensorPrimitives.Add(into, adjoints.Slice(s * e, e), into);
            }

            adjoints.Slice(program.StateCount * e, program.ExportCount * e)
                .CopyTo(dProjectedMemory.Span.Slice(t * program.ExportCount * e, program.ExportCount * e));
        }
    }

    // A group's outputs: the members' slots (consecutive) of the step's block, [K, B·H], from its source slot [B, H].
    private static void LinearForward<T>(int batch, int h, StepProgram.Instruction code, Span<T> block, ReadOnlySpan<T> weight, ReadOnlySpan<T> bias, T[] scratch)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var e = batch * h;
        var k = code.Outputs.Length;
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

    // The same with libtorch's matmul, for larger shapes.
    private static void LinearForward(Saved sv, int t, StepProgram.Instruction code, int g)
    {
        var (_, _, batch, h, _) = sv.Shape;
        var k = code.Outputs.Length;
        var step = sv.Store[t];
        var all = nn.functional.linear(step[code.Inputs[0]].view(batch, h), sv.Weights[g], sv.Biases[g]);
        step.narrow(0, code.Outputs[0], k).view(k, batch, h).copy_(all.view(batch, k, h).permute(1, 0, 2));
    }

    // Gathers the group's output gradient of step t into its dGroup ([T, B, K·H], kept for the weight gradient) and adds
    // its product with the weights (here transposed) to the source's gradient.
    private static void LinearBackward<T>(int batch, int h, int t, StepProgram.Instruction code, Span<T> adjoints, Span<T> dGroup, ReadOnlySpan<T> transposed)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var e = batch * h;
        var k = code.Outputs.Length;
        var d = dGroup.Slice(t * batch * k * h, batch * k * h);
        for (var b = 0; b < batch; b++)
        {
            var row = d.Slice(b * k * h, k * h);
            for (var m = 0; m < k; m++)
            {
                adjoints.Slice(((code.Outputs[0] + m) * e) + (b * h), h).CopyTo(row.Slice(m * h, h));
            }

            MatrixVector.Multiply<T>(transposed, row, adjoints.Slice((code.Inputs[0] * e) + (b * h), h), accumulate: true);
        }
    }

    // The same with libtorch's matmul, for larger shapes.
    private static void LinearBackward(Saved sv, int t, StepProgram.Instruction code, int g, Tensor[] dGroups, Tensor adjointTensor)
    {
        var (_, _, batch, h, _) = sv.Shape;
        var k = code.Outputs.Length;
        var dAll = dGroups[g][t];
        dAll.view(batch, k, h).copy_(adjointTensor.narrow(0, code.Outputs[0], k).view(k, batch, h).permute(1, 0, 2));
        adjointTensor[code.Inputs[0]].view(batch, h).add_(dAll.mm(sv.Weights[g]), Scalars.One);
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
