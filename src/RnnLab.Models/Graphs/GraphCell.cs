using RnnLab.CellGraphs;
using RnnLab.Models.Cells;
using TorchSharp;
using static TorchSharp.torch;

namespace RnnLab.Models.Graphs;

/// <summary>
/// A cell compiled from a <see cref="CellGraph"/>. Every node that depends on x alone runs once over the whole
/// sequence, with all affine maps of one source in one matmul; each step then runs the remaining nodes in order,
/// again one matmul per source (so all maps of h_{t−1} are one matmul per step). Autograd gives the backward pass.
/// Parameters: w_n (and b_n) of linear node n, p_n of scale node n, b_n of bias node n. The bias of a linear node
/// named fx (the forget gate's input map in the built-in LSTMs) starts at the forget bias.
/// On CPU the recurrence runs the cell's <see cref="StepProgram"/> as one autograd node over the whole sequence
/// (<see cref="GraphSequenceFunction"/>); <see cref="Step"/> (the plain per-step evaluation) is the reference it is
/// tested against and the form used elsewhere.
/// </summary>
public sealed class GraphCell : RecurrentCell
{
    private readonly CellGraph _graph;
    private readonly IReadOnlyList<CellNode> _inputSide;
    private readonly IReadOnlyList<CellNode> _stepSide;
    private readonly IReadOnlyList<(string Node, int Offset)> _exports;
    private readonly int _exportWidth;
    private readonly StepProgram _program;

    public GraphCell(CellGraph graph, CellOptions options)
        : base(graph.Name, options)
    {
        _graph = graph.Validated();
        var h = options.HiddenSize;
        var inputOnly = new HashSet<string> { CellGraph.Input };
        var order = _graph.TopologicalOrder();
        foreach (var n in order.Where(n => n.Inputs.All(inputOnly.Contains)))
        {
            inputOnly.Add(n.Name);
        }

        _inputSide = order.Where(n => inputOnly.Contains(n.Name)).ToList();
        _stepSide = order.Where(n => !inputOnly.Contains(n.Name)).ToList();
        var exported = _stepSide.SelectMany(n => n.Inputs).Where(i => i != CellGraph.Input && inputOnly.Contains(i)).Distinct().ToList();
        _exports = exported.Select((n, k) => (n, k * h)).ToList();
        _exportWidth = exported.Count * h;
        _program = new StepProgram(_graph, _stepSide, exported);

        foreach (var n in _graph.Nodes)
        {
            switch (n.Op)
            {
                case CellOp.Linear:
                    var fanIn = n.Inputs[0] == CellGraph.Input ? options.InputSize : h;
                    Initialization.Matrix(AddParameter("w_" + n.Name, h, fanIn), options, 1, recurrent: !inputOnly.Contains(n.Name));
                    if (n.HasBias)
                    {
                        var b = AddParameter("b_" + n.Name, h);
                        if (n.Name == "fx" && options.ForgetBias != 0)
                        {
                            using var _ = no_grad();
                            b.fill_(options.ForgetBias);
                        }
                    }

                    break;
                case CellOp.Scale:
                    Initialization.Vector(AddParameter("p_" + n.Name, h), options);
                    break;
                case CellOp.Bias:
                    AddParameter("b_" + n.Name, h);
                    break;
            }
        }
    }

    public CellGraph Graph => _graph;

    public override int StateCount => _graph.States.Count;

    public override Tensor ProjectInput(Tensor x)
    {
        if (_exportWidth == 0)
        {
            return empty(new long[] { x.shape[0], x.shape[1], 0 }, x.dtype, x.device);
        }

        var values = new Dictionary<string, Tensor> { [CellGraph.Input] = x };
        Evaluate(_inputSide, values);
        return cat(_exports.Select(e => values[e.Node]).ToArray(), 2);
    }

    public override Tensor[] Step(Tensor projected, Tensor[] state)
    {
        var h = HiddenSize;
        var values = new Dictionary<string, Tensor>();
        foreach (var (node, offset) in _exports)
        {
            values[node] = projected.narrow(1, offset, h);
        }

        for (var s = 0; s < state.Length; s++)
        {
            values[_graph.States[s]] = state[s];
        }

        Evaluate(_stepSide, values);
        return _graph.States.Select(s => values[_graph.Outputs[s]]).ToArray();
    }

    protected override Tensor[] RunKernel(Tensor projected, Tensor? mask, Tensor[] state)
    {
        if (ElementwiseRegion.Supports(projected))
        {
            return GraphSequenceFunction.Run(_program, projected, mask, state, P);
        }

        // Other devices and dtypes: the per-step evaluation with autograd.
        return RunSteps(projected, mask, state);
    }

    private void Evaluate(IReadOnlyList<CellNode> order, Dictionary<string, Tensor> values)
    {
        foreach (var n in order)
        {
            if (values.ContainsKey(n.Name))
            {
                continue;
            }

            if (n.Op == CellOp.Linear)
            {
                ApplyLinearGroup(n.Inputs[0], order, values);
                continue;
            }

            var a = n.Inputs.Select(i => values[i]).ToArray();
            values[n.Name] = n.Op switch
            {
                CellOp.Scale => a[0] * P("p_" + n.Name),
                CellOp.Bias => a[0] + P("b_" + n.Name),
                CellOp.Sigmoid => a[0].sigmoid(),
                CellOp.Tanh => a[0].tanh(),
                CellOp.Relu => a[0].relu(),
                CellOp.Identity => a[0],
                CellOp.Add => a.Skip(1).Aggregate(a[0], (sum, t) => sum + t),
                CellOp.Subtract => a[0] - a[1],
                CellOp.Multiply => a[0] * a[1],
                // ones − a rather than the scalar form 1 − a: no native scalar is made per step (and none is left to the finalizer).
                CellOp.OneMinus => ones_like(a[0]) - a[0],
                _ => throw new InvalidOperationException($"Cell graph '{_graph.Name}': op {n.Op} cannot be compiled."),
            };
        }
    }

    // All affine maps of one source in this part of the graph: one matmul of the stacked weights.
    private void ApplyLinearGroup(string source, IReadOnlyList<CellNode> order, Dictionary<string, Tensor> values)
    {
        var group = order.Where(m => m.Op == CellOp.Linear && m.Inputs[0] == source).ToList();
        var input = values[source];
        if (group.Count == 1)
        {
            var n = group[0];
            values[n.Name] = nn.functional.linear(input, P("w_" + n.Name), n.HasBias ? P("b_" + n.Name) : null);
            return;
        }

        var weight = cat(group.Select(m => P("w_" + m.Name)).ToArray(), 0);
        var bias = group.All(m => m.HasBias) ? cat(group.Select(m => P("b_" + m.Name)).ToArray(), 0) : null;
        var all = nn.functional.linear(input, weight, bias);
        var h = HiddenSize;
        var last = (int)input.dim() - 1;
        for (var k = 0; k < group.Count; k++)
        {
            var m = group[k];
            var part = all.narrow(last, k * h, h);
            values[m.Name] = bias is null && m.HasBias ? part + P("b_" + m.Name) : part;
        }
    }
}
