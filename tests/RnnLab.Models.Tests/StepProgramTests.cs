using RnnLab.CellGraphs;
using RnnLab.Models.Cells;
using RnnLab.Models.Graphs;
using RnnLab.Models.Kernels;
using TorchSharp;
using static TorchSharp.torch;

namespace RnnLab.Models.Tests;

/// <summary>The compiled step program of a graph cell computes exactly what the plain per-step evaluation computes, on
/// the built-ins and on mutants with ops the built-ins do not use (relu, subtract, bias nodes, maps of derived values),
/// with padded steps and a non-zero initial state.</summary>
public sealed class StepProgramTests
{
    public StepProgramTests() => set_num_threads(1);

    public static TheoryData<string, int, bool> Mutants()
    {
        var data = new TheoryData<string, int, bool>();
        foreach (var seed in new[] { 1, 2, 3 })
        {
            foreach (var parent in new[] { "lstm", "gru", "mut2", "lstm-fgr" })
            {
                data.Add(parent, seed, seed != 2);
            }
        }

        return data;
    }

    /// <param name="managed">Whether the sequence's per-step products run in managed code (small shapes) or in
    /// libtorch's matmul (large ones).</param>
    [Theory]
    [MemberData(nameof(Mutants))]
    public void The_program_matches_the_per_step_evaluation_in_outputs_states_and_gradients(string parent, int seed, bool managed)
    {
        using var form = ManagedStepLoops.Force(managed);
        var random = new Random(seed);
        var graph = BuiltinCellGraphs.Get(parent);
        for (var generation = 0; generation < 3; generation++)
        {
            graph = CellGraphMutation.Mutate(graph, random.Next).Graph;
        }

        manual_seed(seed);
        using var cell = new GraphCell(graph, new CellOptions(3, 5, InitScale: 0.5));
        cell.to(float64);
        var x = randn(7, 4, 3, float64);
        var mask = ones(7, 4, float64);
        mask[TensorIndex.Slice(5), 2] = 0;
        var state0 = cell.ZeroState(4, float64, CPU).Select(s => randn_like(s) * 0.5).ToArray();

        var (program, programGrads) = Run(cell, x, mask, state0, useProgram: true);
        var (reference, referenceGrads) = Run(cell, x, mask, state0, useProgram: false);

        var equations = graph.Equations();
        Assert.True((program - reference).abs().max().item<double>() < 1e-12, $"outputs differ for\n{equations}");
        foreach (var (name, grad) in referenceGrads)
        {
            Assert.True((programGrads[name] - grad).abs().max().item<double>() < 1e-10, $"gradient of {name} differs for\n{equations}");
        }
    }

    private static (Tensor Outputs, Dictionary<string, Tensor> Grads) Run(GraphCell cell, Tensor x, Tensor mask, Tensor[] state0, bool useProgram)
    {
        cell.zero_grad();
        cell.UseKernel = useProgram;
        var (output, state) = cell.Run(x, mask, state0);
        var flat = cat([output.flatten(), .. state.Select(s => s.flatten())]);
        using var weights = arange(flat.shape[0], float64).sin();
        (flat * weights).sum().backward();
        var grads = cell.named_parameters().ToDictionary(p => p.name, p => p.parameter.grad!.detach().clone());
        return (flat.detach(), grads);
    }
}
