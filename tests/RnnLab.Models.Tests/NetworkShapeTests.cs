using RnnLab.CellGraphs;
using TorchSharp;
using static TorchSharp.torch;

namespace RnnLab.Models.Tests;

public sealed class NetworkShapeTests
{
    public NetworkShapeTests() => set_num_threads(1);

    public static TheoryData<string> Cells() => new(CellNames.All);

    [Theory]
    [MemberData(nameof(Cells))]
    public void Every_cell_builds_a_bidirectional_stacked_network_with_per_step_logits(string cell)
    {
        manual_seed(1);
        using var net = new RecurrentNetwork(new NetworkOptions
        {
            Cell = cell, InputSize = 3, HiddenSize = 4, Layers = 2, Bidirectional = true, OutputSize = 2,
        });
        var (output, state) = net.Forward(randn(5, 2, 3));
        Assert.Equal(new long[] { 5, 2, 2 }, output.shape);
        Assert.Equal(2, state.Layers.Count);
        Assert.Equal(2, state.Layers[1].Count);
        Assert.Equal(new long[] { 2, 4 }, state.Layers[1][1][0].shape);
        Assert.True(output.isfinite().all().item<bool>());
    }

    [Fact]
    public void Unknown_cell_names_the_valid_ones()
    {
        var e = Assert.Throws<ArgumentException>(() => new RecurrentNetwork(new NetworkOptions { Cell = "lstm-x", InputSize = 1, OutputSize = 1 }));
        Assert.Contains("lstm-x", e.Message);
        Assert.Contains(CellNames.Mut3, e.Message);
    }
}
