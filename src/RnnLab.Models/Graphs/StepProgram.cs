using RnnLab.CellGraphs;
using TorchSharp;
using static TorchSharp.torch;

namespace RnnLab.Models.Graphs;

/// <summary>
/// The step side of a cell graph as a list of instructions over numbered slots: the states first, then the values the
/// input side exports, then every step-side node. Affine maps of one source form one instruction, a single matmul.
/// <see cref="Bind"/> resolves the parameters once per sequence (stacking a group's weights there), so a step does no
/// name lookups and no weight concatenation.
/// </summary>
internal sealed class StepProgram
{
    private List<Instruction> _instructions = [];

    public StepProgram(CellGraph graph, IReadOnlyList<CellNode> stepSide, IReadOnlyList<string> exported)
    {
        // The members of a group of affine maps get consecutive slots, so a group's output is one block of a step.
        var slot = new Dictionary<string, int>();
        foreach (var name in graph.States.Concat(exported))
        {
            slot[name] = slot.Count;
        }

        foreach (var n in stepSide)
        {
            var members = n.Op == CellOp.Linear ? stepSide.Where(m => m.Op == CellOp.Linear && m.Inputs[0] == n.Inputs[0]) : [n];
            foreach (var m in members)
            {
                slot.TryAdd(m.Name, slot.Count);
            }
        }

        var grouped = new HashSet<string>();
        foreach (var n in stepSide)
        {
            if (n.Op != CellOp.Linear)
            {
                _instructions.Add(new Instruction(n.Op, n.Inputs.Select(i => slot[i]).ToArray(), [slot[n.Name]], [n.Name]));
            }
            else if (grouped.Add(n.Name))
            {
                // The first map of a source runs the whole group: every member's source is ready by then.
                var group = stepSide.Where(m => m.Op == CellOp.Linear && m.Inputs[0] == n.Inputs[0]).ToList();
                grouped.UnionWith(group.Select(m => m.Name));
                _instructions.Add(new Instruction(
                    CellOp.Linear, [slot[n.Inputs[0]]], group.Select(m => slot[m.Name]).ToArray(), group.Select(m => m.Name).ToArray(),
                    group.Select(m => m.HasBias).ToArray()));
            }
        }

        SlotCount = slot.Count;
        StateCount = graph.States.Count;
        ExportCount = exported.Count;
        Outputs = graph.States.Select(s => slot[graph.Outputs[s]]).ToArray();
        _instructions = Fuse(_instructions);
    }

    // Each run of element-wise instructions becomes one fused region; the run's own instructions stay as its fallback
    // for tensors the region cannot run on.
    private static List<Instruction> Fuse(List<Instruction> program)
    {
        var fused = new List<Instruction>();
        for (var start = 0; start < program.Count;)
        {
            if (program[start].Op == CellOp.Linear)
            {
                fused.Add(program[start++]);
                continue;
            }

            var end = start;
            while (end < program.Count && program[end].Op != CellOp.Linear)
            {
                end++;
            }

            var run = program.GetRange(start, end - start);
            var produced = run.Select(i => i.Outputs[0]).ToList();
            var inputs = run.SelectMany(i => i.Inputs).Where(i => !produced.Contains(i)).Distinct().ToList();
            var parameters = run.Where(i => i.Op is CellOp.Scale or CellOp.Bias).ToList();
            var ops = run.Select(i => new ElementwiseRegion.Op(i.Op, i.Inputs, i.Outputs[0], parameters.IndexOf(i))).ToList();
            var region = new ElementwiseRegion(parameters.Count, ops);
            fused.Add(new Instruction(Fused, [.. inputs], [.. produced], [.. parameters.Select(i => (i.Op == CellOp.Scale ? "p_" : "b_") + i.Nodes[0])])
            {
                Region = region,
                Run = run,
            });
            start = end;
        }

        return fused;
    }

    /// <summary>The op of a fused region's instruction (not a graph op).</summary>
    public const CellOp Fused = (CellOp)(-1);

    public int SlotCount { get; }

    public int StateCount { get; }

    public int ExportCount { get; }

    /// <summary>The program: affine-map groups (op <see cref="CellOp.Linear"/>) and fused element-wise regions.</summary>
    public IReadOnlyList<Instruction> Instructions => _instructions;

    /// <summary>The slots holding the next value of each state, in state order.</summary>
    public IReadOnlyList<int> Outputs { get; }

    /// <summary>The program with this sequence's parameter tensors (looked up by name with <paramref name="parameter"/>).</summary>
    public BoundStepProgram Bind(Func<string, Tensor> parameter) =>
        new(_instructions.Select(i => i.Bind(parameter)).ToArray());

    internal sealed record Instruction(CellOp Op, int[] Inputs, int[] Outputs, string[] Nodes, bool[]? HasBias = null)
    {
        /// <summary>For a fused instruction: the region, and the element-wise instructions it stands for.</summary>
        public ElementwiseRegion? Region { get; init; }

        public IReadOnlyList<Instruction>? Run { get; init; }

        public BoundInstruction Bind(Func<string, Tensor> parameter)
        {
            switch (Op)
            {
                case Fused:
                    // Nodes names the region's parameters in order.
                    return new BoundInstruction(this, null, null, null)
                    {
                        Parameters = Nodes.Select(parameter).ToArray(),
                        Fallback = new BoundStepProgram(Run!.Select(i => i.Bind(parameter)).ToArray()),
                    };
                case CellOp.Linear:
                    var weight = Nodes.Length == 1 ? parameter("w_" + Nodes[0]) : cat(Nodes.Select(n => parameter("w_" + n)).ToArray(), 0);
                    var hasBias = HasBias!;
                    var allBiased = hasBias.All(b => b);
                    var bias = !allBiased ? null : Nodes.Length == 1 ? parameter("b_" + Nodes[0]) : cat(Nodes.Select(n => parameter("b_" + n)).ToArray(), 0);
                    var ownBiases = allBiased ? null : Nodes.Select((n, k) => hasBias[k] ? parameter("b_" + n) : null).ToArray();
                    return new BoundInstruction(this, weight, bias, ownBiases);
                case CellOp.Scale:
                    return new BoundInstruction(this, parameter("p_" + Nodes[0]), null, null);
                case CellOp.Bias:
                    return new BoundInstruction(this, parameter("b_" + Nodes[0]), null, null);
                default:
                    return new BoundInstruction(this, null, null, null);
            }
        }
    }

    internal sealed record BoundInstruction(Instruction Code, Tensor? Weight, Tensor? Bias, Tensor?[]? OwnBiases)
    {
        public Tensor[]? Parameters { get; init; }

        public BoundStepProgram? Fallback { get; init; }
    }

    /// <summary>One sequence's program: <see cref="Run"/> evaluates a step in place over the slots.</summary>
    internal sealed class BoundStepProgram(BoundInstruction[] instructions)
    {
        public void Run(Tensor[] slots, int hidden)
        {
            foreach (var bound in instructions)
            {
                var (code, weight, bias, ownBiases) = bound;
                var a = code.Inputs;
                var o = code.Outputs;
                switch (code.Op)
                {
                    case Fused:
                        bound.Fallback!.Run(slots, hidden);
                        break;
                    case CellOp.Linear:
                        var all = nn.functional.linear(slots[a[0]], weight!, bias);
                        if (o.Length == 1)
                        {
                            slots[o[0]] = ownBiases?[0] is { } b0 ? all + b0 : all;
                            break;
                        }

                        for (var k = 0; k < o.Length; k++)
                        {
                            var part = all.narrow(1, k * hidden, hidden);
                            slots[o[k]] = ownBiases?[k] is { } b ? part + b : part;
                        }

                        break;
                    case CellOp.Scale:
                        slots[o[0]] = slots[a[0]] * weight!;
                        break;
                    case CellOp.Bias:
                        slots[o[0]] = slots[a[0]] + weight!;
                        break;
                    case CellOp.Sigmoid:
                        slots[o[0]] = slots[a[0]].sigmoid();
                        break;
                    case CellOp.Tanh:
                        slots[o[0]] = slots[a[0]].tanh();
                        break;
                    case CellOp.Relu:
                        slots[o[0]] = slots[a[0]].relu();
                        break;
                    case CellOp.Identity:
                        slots[o[0]] = slots[a[0]];
                        break;
                    case CellOp.Add:
                        var sum = slots[a[0]] + slots[a[1]];
                        for (var k = 2; k < a.Length; k++)
                        {
                            sum = sum + slots[a[k]];
                        }

                        slots[o[0]] = sum;
                        break;
                    case CellOp.Subtract:
                        slots[o[0]] = slots[a[0]] - slots[a[1]];
                        break;
                    case CellOp.Multiply:
                        slots[o[0]] = slots[a[0]] * slots[a[1]];
                        break;
                    case CellOp.OneMinus:
                        // ones − a rather than the scalar form 1 − a: no native scalar is made per step.
                        slots[o[0]] = ones_like(slots[a[0]]) - slots[a[0]];
                        break;
                    default:
                        throw new InvalidOperationException($"op {code.Op} cannot be compiled");
                }
            }
        }
    }
}
