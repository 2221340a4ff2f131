using RnnLab.CellGraphs;
using TorchSharp;
using static TorchSharp.torch;

namespace RnnLab.Models.Graphs;

/// <summary>
/// The step side of a cell graph as a list of instructions over numbered slots: the states first, then the values the
/// input side exports, then every step-side node. Affine maps of one source form one instruction (one product, its
/// members in consecutive slots); each run of element-wise nodes between them forms one <see cref="ElementwiseRegion"/>.
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

    // Each run of element-wise instructions becomes one fused region.
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

    internal sealed record Instruction(CellOp Op, int[] Inputs, int[] Outputs, string[] Nodes, bool[]? HasBias = null)
    {
        /// <summary>For a fused instruction: its region.</summary>
        public ElementwiseRegion? Region { get; init; }
    }
}
