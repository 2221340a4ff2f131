using RnnLab.CellGraphs;
using RnnLab.Models.Kernels;
using TorchSharp;
using static TorchSharp.torch;

namespace RnnLab.Models.Graphs;

/// <summary>
/// The recurrence of a compiled cell graph over a whole sequence as one autograd node, as the hand-written kernels do:
/// a graph-free forward pass (one matmul per affine-map group and step, element-wise regions in managed loops) that keeps
/// every step's values, and a hand-written backward pass through time (regions in reverse with their derivatives, one
/// matmul per group and step for the gradient of its source). Each group's weight gradient is one matmul over the whole
/// sequence at the end.
/// </summary>
internal sealed class GraphSequenceFunction : autograd.MultiTensorFunction<GraphSequenceFunction>
{
    public override string Name => "GraphSequence";

    /// <summary>Outputs [T,B,H] followed by the final states, from projected [T,B,E·H] (the exported input-side
    /// values), the initial states and an optional mask [T,B,1].</summary>
    public static Tensor[] Run(StepProgram program, Tensor projected, Tensor? mask, Tensor[] state, Func<string, Tensor> parameter)
    {
        var groups = program.Instructions.Where(i => i.Op == CellOp.Linear).ToList();
        var regions = program.Instructions.Where(i => i.Op == StepProgram.Fused).ToList();
        var h = state[0].shape[1];
        var vars = new List<object?> { projected, mask };
        vars.AddRange(state);
        foreach (var g in groups)
        {
            vars.Add(g.Nodes.Length == 1 ? parameter("w_" + g.Nodes[0]) : cat(g.Nodes.Select(n => parameter("w_" + n)).ToArray(), 0));
            // Members without a bias add zeros: the bias of a group is one vector.
            vars.Add(cat(g.Nodes.Select((n, k) => g.HasBias![k] ? parameter("b_" + n) : zeros(h, projected.dtype, projected.device)).ToArray(), 0));
        }

        foreach (var r in regions)
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
        var layout = new Layout(program, vars);
        var projected = (Tensor)vars[0];
        var mask = vars[1] as Tensor;
        var (steps, batch) = ((int)projected.shape[0], (int)projected.shape[1]);
        var state = layout.States.ToArray();
        var h = (int)state[0].shape[1];

        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var inputs = projected.unbind(0);
        var masks = mask?.unbind(0);
        var saved = new Step[steps];
        var outputs = empty(new long[] { steps, batch, h }, projected.dtype, projected.device);
        for (var t = 0; t < steps; t++)
        {
            var slots = new Tensor[program.SlotCount];
            state.CopyTo(slots, 0);
            for (var e = 0; e < program.ExportCount; e++)
            {
                slots[program.StateCount + e] = inputs[t].narrow(1, e * h, h);
            }

            var buffers = new Tensor[layout.Regions.Count];
            var r = 0;
            var g = 0;
            foreach (var code in program.Instructions)
            {
                if (code.Op == CellOp.Linear)
                {
                    var all = nn.functional.linear(slots[code.Inputs[0]], layout.Weights[g], layout.Biases[g]);
                    g++;
                    for (var k = 0; k < code.Outputs.Length; k++)
                    {
                        slots[code.Outputs[k]] = all.narrow(1, k * h, h);
                    }

                    continue;
                }

                var region = code.Region!;
                var values = empty(new long[] { region.ValueCount, batch * h }, projected.dtype, projected.device);
                for (var k = 0; k < code.Inputs.Length; k++)
                {
                    values[k].view(batch, h).copy_(slots[code.Inputs[k]]);
                }

                RunRegion(region, values, layout.RegionParameters[r], batch * h, h, backward: null);
                for (var k = 0; k < code.Outputs.Length; k++)
                {
                    slots[code.Outputs[k]] = values[region.Outputs[k]].view(batch, h);
                }

                buffers[r++] = values;
            }

            var next = program.Outputs.Select(o => slots[o]).ToArray();
            saved[t] = new Step(slots, buffers);
            if (masks is null)
            {
                outputs[t].copy_(next[0]);
                state = next;
            }
            else
            {
                var m = masks[t];
                outputs[t].copy_(next[0]).mul_(m);
                state = state.Zip(next, (s, n) => s + m * (n - s)).ToArray();
            }
        }

        var results = new List<Tensor> { outputs.MoveToOuterDisposeScope() };
        results.AddRange(state.Select(s => s.clone().MoveToOuterDisposeScope()));
        if (keep)
        {
            // Everything this pass made outlives it (the first step's states are the caller's).
            var callers = layout.States.ToHashSet(ReferenceEqualityComparer.Instance);
            foreach (var x in saved.SelectMany(step => step.Slots.Concat(step.Buffers)).Where(x => x is not null).Distinct(ReferenceEqualityComparer.Instance).Cast<Tensor>())
            {
                if (!callers.Contains(x))
                {
                    x.MoveToOuterDisposeScope();
                }
            }

            ctx.save_data("saved", new Saved(layout, saved, mask, batch, h));
        }

        return results;
    }

    public override List<Tensor> backward(autograd.AutogradContext ctx, List<Tensor> grads)
    {
        var (layout, saved, mask, batch, h) = (Saved)ctx.get_data("saved");
        var program = layout.Program;
        var steps = saved.Length;
        var elements = batch * h;
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var dOut = grads[0].unbind(0);
        var dState = grads.Skip(1).Take(program.StateCount).Select(g => g.clone()).ToArray();
        var masks = mask?.unbind(0);
        var first = grads[0];
        var dProjected = zeros(new long[] { steps, batch, program.ExportCount * h }, first.dtype, first.device);
        var dGroup = layout.Weights.Select(w => zeros(new long[] { steps, batch, w.shape[0] }, first.dtype, first.device)).ToArray();
        var dRegionParameters = layout.RegionParameters.Select(p => zeros_like(p)).ToArray();
        var scratch = empty(new long[] { elements }, first.dtype, first.device);
        for (var t = steps - 1; t >= 0; t--)
        {
            var adjoints = new Tensor?[program.SlotCount];
            void Add(int slot, Tensor d) => adjoints[slot] = adjoints[slot] is { } a ? a.add_(d, Scalars.One) : d.clone();

            Tensor[] dPrevious;
            if (masks is null)
            {
                Add(program.Outputs[0], dOut[t]);
                for (var s = 0; s < program.StateCount; s++)
                {
                    Add(program.Outputs[s], dState[s]);
                }

                dPrevious = dState.Select(d => zeros_like(d)).ToArray();
            }
            else
            {
                // s' = s + m (n − s), out = m n: the new value takes m of each gradient, the old state the rest.
                var m = masks[t];
                Add(program.Outputs[0], dOut[t] * m);
                for (var s = 0; s < program.StateCount; s++)
                {
                    Add(program.Outputs[s], dState[s] * m);
                }

                dPrevious = dState.Select(d => d - (d * m)).ToArray();
            }

            var step = saved[t];
            var r = layout.Regions.Count - 1;
            var g = layout.Weights.Count - 1;
            foreach (var code in program.Instructions.Reverse())
            {
                if (code.Op == CellOp.Linear)
                {
                    var dAll = dGroup[g][t];
                    for (var k = 0; k < code.Outputs.Length; k++)
                    {
                        if (adjoints[code.Outputs[k]] is { } d)
                        {
                            dAll.narrow(1, k * h, h).copy_(d);
                        }
                    }

                    Add(code.Inputs[0], dAll.mm(layout.Weights[g]));
                    g--;
                    continue;
                }

                var region = code.Region!;
                var dValues = zeros(new long[] { region.ValueCount, elements }, first.dtype, first.device);
                for (var k = 0; k < code.Outputs.Length; k++)
                {
                    if (adjoints[code.Outputs[k]] is { } d)
                    {
                        dValues[region.Outputs[k]].view(batch, h).add_(d, Scalars.One);
                    }
                }

                RunRegion(region, step.Buffers[r], layout.RegionParameters[r], elements, h, (dValues, dRegionParameters[r], scratch));
                for (var k = 0; k < code.Inputs.Length; k++)
                {
                    Add(code.Inputs[k], dValues[k].view(batch, h));
                }

                r--;
            }

            for (var s = 0; s < program.StateCount; s++)
            {
                if (adjoints[s] is { } d)
                {
                    dPrevious[s].add_(d, Scalars.One);
                }
            }

            for (var e = 0; e < program.ExportCount; e++)
            {
                if (adjoints[program.StateCount + e] is { } d)
                {
                    dProjected[t].narrow(1, e * h, h).copy_(d);
                }
            }

            dState = dPrevious;
        }

        var result = new List<Tensor?> { dProjected, null };
        result.AddRange(dState);
        var groups = program.Instructions.Where(i => i.Op == CellOp.Linear).ToList();
        for (var g = 0; g < groups.Count; g++)
        {
            var source = stack(saved.Select(s => s.Slots[groups[g].Inputs[0]]).ToArray()).view(steps * batch, h);
            var flat = dGroup[g].view(steps * batch, -1);
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

    private static void RunRegion(ElementwiseRegion region, Tensor values, Tensor parameters, int elements, int h, (Tensor Values, Tensor Parameters, Tensor Scratch)? backward)
    {
        if (values.dtype == ScalarType.Float64)
        {
            if (backward is var (dv, dp, scratch))
            {
                region.Backward(TensorMemory.Of<double>(values), TensorMemory.Of<double>(parameters), TensorMemory.Of<double>(dv), TensorMemory.Of<double>(dp), TensorMemory.Of<double>(scratch), elements, h);
            }
            else
            {
                region.Forward(TensorMemory.Of<double>(values), TensorMemory.Of<double>(parameters), elements, h);
            }
        }
        else if (backward is var (dv, dp, scratch))
        {
            region.Backward(TensorMemory.Of<float>(values), TensorMemory.Of<float>(parameters), TensorMemory.Of<float>(dv), TensorMemory.Of<float>(dp), TensorMemory.Of<float>(scratch), elements, h);
        }
        else
        {
            region.Forward(TensorMemory.Of<float>(values), TensorMemory.Of<float>(parameters), elements, h);
        }
    }

    /// <summary>Where each tensor sits in the function's arguments.</summary>
    private sealed class Layout
    {
        public Layout(StepProgram program, object[] vars)
        {
            Program = program;
            var at = 2;
            States = vars.Skip(at).Take(program.StateCount).Cast<Tensor>().ToList();
            at += program.StateCount;
            var groups = program.Instructions.Count(i => i.Op == CellOp.Linear);
            Weights = Enumerable.Range(0, groups).Select(g => ((Tensor)vars[at + (2 * g)]).contiguous()).ToList();
            Biases = Enumerable.Range(0, groups).Select(g => (Tensor)vars[at + (2 * g) + 1]).ToList();
            at += 2 * groups;
            Regions = program.Instructions.Where(i => i.Op == StepProgram.Fused).Select(i => i.Region!).ToList();
            RegionParameters = Enumerable.Range(0, Regions.Count).Select(r => ((Tensor)vars[at + r]).detach().contiguous()).ToList();
        }

        public StepProgram Program { get; }

        public List<Tensor> States { get; }

        public List<Tensor> Weights { get; }

        public List<Tensor> Biases { get; }

        public List<ElementwiseRegion> Regions { get; }

        public List<Tensor> RegionParameters { get; }
    }

    private sealed record Step(Tensor[] Slots, Tensor[] Buffers);

    private sealed record Saved(Layout Layout, Step[] Steps, Tensor? Mask, int Batch, int Hidden);
}
