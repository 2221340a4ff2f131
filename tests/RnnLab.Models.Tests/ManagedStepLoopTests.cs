using RnnLab.CellGraphs;
using RnnLab.Models.Cells;
using RnnLab.Models.Kernels;
using TorchSharp;
using static TorchSharp.torch;

namespace RnnLab.Models.Tests;

/// <summary>The managed step loops (small batches) against the autograd reference and against the tensor-op loops.</summary>
public sealed class ManagedStepLoopTests
{
    public ManagedStepLoopTests() => set_num_threads(1);

    public static TheoryData<string, bool> CellsAndDirections()
    {
        var data = new TheoryData<string, bool>();
        foreach (var cell in ManagedCells)
        {
            data.Add(cell, false);
            data.Add(cell, true);
        }

        return data;
    }

    public static TheoryData<string> Cells() => new(ManagedCells);

    private static IEnumerable<string> ManagedCells => CellNames.All.Where(c => c != CellNames.RnnTanh);

    [Theory]
    [MemberData(nameof(CellsAndDirections))]
    public void Managed_loop_gradients_equal_autograd_of_the_reference_steps(string cell, bool bidirectional)
    {
        using var _ = ManagedStepLoops.Force(true);
        var runs = ManagedStepLoops.Runs;
        GradientCheck.AssertKernelEqualsReference(cell, bidirectional);
        Assert.True(ManagedStepLoops.Runs > runs, $"{cell}: the managed loops did not run");
    }

    [Theory]
    [MemberData(nameof(Cells))]
    public void Managed_loops_equal_the_tensor_op_loops_in_float32_on_a_padded_batch(string cell)
    {
        const int steps = 40, inputs = 6, hidden = 20;
        manual_seed(21);
        using var module = CellFactory.Create(cell, new CellOptions(inputs, hidden) { InitScale = 0.3, ForgetBias = 1 });
        var x = randn(steps, 2, inputs);
        var state = module.ZeroState(2, float32, CPU).Select(s => randn_like(s) * 0.5).ToArray();

        // The second sequence ends at step 25: its padded steps must keep the state and output zero.
        var mask = ones(steps, 2);
        mask[TensorIndex.Slice(25), 1] = zeros(steps - 25);
        var weights = randn(steps, 2, hidden);

        var (managedOutput, managedState, managedGrads) = Run(module, x, mask, state, weights, managed: true);
        var (tensorOutput, tensorState, tensorGrads) = Run(module, x, mask, state, weights, managed: false);

        Assert.True(Close(managedOutput, tensorOutput), $"{cell}: outputs differ");
        Assert.Equal(0f, managedOutput[TensorIndex.Slice(25), 1].abs().max().item<float>());
        for (var s = 0; s < managedState.Length; s++)
        {
            Assert.True(Close(managedState[s], tensorState[s]), $"{cell}: final state {s} differs");
        }

        for (var p = 0; p < managedGrads.Length; p++)
        {
            Assert.True(Close(managedGrads[p], tensorGrads[p]), $"{cell}: gradient {p} differs");
        }
    }

    [Fact]
    public void Small_batches_run_the_managed_loops_and_large_ones_the_tensor_op_loops()
    {
        manual_seed(22);
        using var cell = CellFactory.Create(CellNames.Lstm, new CellOptions(3, 4));

        long Runs(long batch)
        {
            var before = ManagedStepLoops.Runs;
            cell.Run(randn(5, batch, 3), null, null).Output.sum().backward();
            return ManagedStepLoops.Runs - before;
        }

        // Hidden 4: the largest managed batch is MaxBatchUnits / 4.
        Assert.Equal(2, Runs(1));
        Assert.Equal(2, Runs(ManagedStepLoops.MaxBatchUnits / 4));
        Assert.Equal(0, Runs(ManagedStepLoops.MaxBatchUnits / 4 + 1));
    }

    private static (Tensor Output, Tensor[] State, Tensor[] Grads) Run(
        RecurrentCell module, Tensor x, Tensor mask, Tensor[] state, Tensor weights, bool managed)
    {
        using var _ = ManagedStepLoops.Force(managed);
        module.zero_grad();
        var input = x.detach().requires_grad_(true);
        var start = state.Select(s => s.detach().requires_grad_(true)).ToArray();
        var (output, final) = module.Run(input, mask, start);
        var loss = (output * weights).sum() + final.Select(f => f.sin().sum()).Aggregate((a, b) => a + b);
        loss.backward();
        var grads = module.parameters().Select(p => p.grad!.clone()).Append(input.grad!.clone()).Concat(start.Select(s => s.grad!.clone()));
        return (output.detach(), final.Select(f => f.detach()).ToArray(), grads.ToArray());
    }

    private static bool Close(Tensor a, Tensor b) => (a - b).abs().max().item<float>() <= 1e-5f * Math.Max(1f, b.abs().max().item<float>());
}
