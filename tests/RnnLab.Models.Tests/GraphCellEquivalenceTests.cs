using RnnLab.CellGraphs;
using RnnLab.Models.Cells;
using RnnLab.Models.Graphs;
using TorchSharp;
using static TorchSharp.torch;

namespace RnnLab.Models.Tests;

/// <summary>Each built-in cell compiled from its graph computes what its hand-written kernel computes, with the same weights.</summary>
public sealed class GraphCellEquivalenceTests
{
    private const int In = 3;
    private const int H = 4;

    public GraphCellEquivalenceTests() => set_num_threads(1);

    public static TheoryData<string> Cells() => new(CellNames.All);

    [Fact]
    public void Every_builtin_cell_has_a_graph()
    {
        Assert.Equal(CellNames.All.Order(), BuiltinCellGraphs.Names.Order());
    }

    [Theory]
    [MemberData(nameof(Cells))]
    public void The_compiled_graph_matches_the_hand_written_kernel_in_outputs_states_and_gradients(string cell)
    {
        manual_seed(5);
        var options = new CellOptions(In, H, InitScale: 0.5);
        using var hand = CellFactory.Create(cell, options);
        using var graph = new GraphCell(BuiltinCellGraphs.Get(cell), options);
        hand.to(float64);
        graph.to(float64);
        var map = WeightMap.For(cell, H);

        var handParams = hand.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        var graphParams = graph.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        Assert.Equal(graphParams.Keys.Order(), map.Select(m => m.Graph).Order());
        Assert.Equal(handParams.Values.Sum(p => p.numel()), graphParams.Values.Sum(p => p.numel()));
        using (no_grad())
        {
            foreach (var m in map)
            {
                graphParams[m.Graph].copy_(m.Slice(handParams[m.Hand]));
            }
        }

        var x = randn(6, 3, In, float64);
        var mask = ones(6, 3, float64);
        mask[TensorIndex.Slice(4), 1] = 0;
        mask[TensorIndex.Slice(2), 2] = 0;
        var handState0 = hand.ZeroState(3, float64, CPU).Select(s => (randn_like(s) * 0.5).requires_grad_()).ToArray();
        var graphState0 = WeightMap.GraphState(cell, handState0, H).Select(s => s.detach().clone().requires_grad_()).ToArray();
        var outWeights = randn(6, 3, H, float64);

        var (handOut, handState) = hand.Run(x, mask, handState0);
        var (graphOut, graphState) = graph.Run(x, mask, graphState0);
        Assert.True((handOut - graphOut).abs().max().item<double>() < 1e-12, $"{cell}: outputs differ");
        var handStateFlat = cat(handState, 1);
        var graphStateFlat = cat(graphState, 1);
        Assert.True((handStateFlat - graphStateFlat).abs().max().item<double>() < 1e-12, $"{cell}: final states differ");

        var stateWeights = randn_like(handStateFlat);
        ((handOut * outWeights).sum() + (handStateFlat * stateWeights).sum()).backward();
        ((graphOut * outWeights).sum() + (graphStateFlat * stateWeights).sum()).backward();
        foreach (var m in map)
        {
            var diff = (m.Slice(handParams[m.Hand].grad!) - graphParams[m.Graph].grad!).abs().max().item<double>();
            Assert.True(diff < 1e-10, $"{cell}: gradient of {m.Graph} (from {m.Hand}) differs by {diff}");
        }

        var handStateGrad = cat(handState0.Select(s => s.grad!).ToArray(), 1);
        var graphStateGrad = cat(graphState0.Select(s => s.grad!).ToArray(), 1);
        Assert.True((handStateGrad - graphStateGrad).abs().max().item<double>() < 1e-10, $"{cell}: gradient of the initial state differs");
    }
}
