using RnnLab.CellGraphs;
using RnnLab.Models.Cells;
using TorchSharp;
using static TorchSharp.torch;

namespace RnnLab.Models.Tests;

public sealed class NativeEquivalenceTests
{
    public NativeEquivalenceTests() => set_num_threads(1);

    [Fact]
    public void Lstm_np_equals_torch_nn_LSTM_given_the_same_weights()
    {
        manual_seed(4);
        using var native = nn.LSTM(3, 5);
        using var cell = CellFactory.Create(CellNames.LstmNp, new CellOptions(3, 5));
        var p = native.named_parameters().ToDictionary(x => x.name, x => x.parameter);

        // libtorch stacks gates i, f, g, o and has two biases; our blocks are z(=g), i, f, o with one bias.
        Tensor Reorder(Tensor w) => cat([w.narrow(0, 10, 5), w.narrow(0, 0, 5), w.narrow(0, 5, 5), w.narrow(0, 15, 5)]);
        using (no_grad())
        {
            cell.get_parameter("weight_ih")!.copy_(Reorder(p["weight_ih_l0"]));
            cell.get_parameter("weight_hh")!.copy_(Reorder(p["weight_hh_l0"]));
            cell.get_parameter("bias")!.copy_(Reorder(p["bias_ih_l0"] + p["bias_hh_l0"]));
        }

        var x = randn(7, 2, 3);
        var h0 = randn(1, 2, 5);
        var c0 = randn(1, 2, 5);
        var (expected, hn, cn) = native.forward(x, (h0, c0));
        var (actual, state) = cell.Run(x, null, [h0[0], c0[0]]);
        Assert.True((actual - expected).abs().max().item<float>() < 1e-5);
        Assert.True((state[0] - hn[0]).abs().max().item<float>() < 1e-5);
        Assert.True((state[1] - cn[0]).abs().max().item<float>() < 1e-5);
    }

    [Fact]
    public void Rnn_tanh_equals_torch_nn_RNN_given_the_same_weights()
    {
        manual_seed(5);
        using var native = nn.RNN(3, 5);
        using var cell = CellFactory.Create(CellNames.RnnTanh, new CellOptions(3, 5));
        var p = native.named_parameters().ToDictionary(x => x.name, x => x.parameter);
        using (no_grad())
        {
            cell.get_parameter("weight_ih")!.copy_(p["weight_ih_l0"]);
            cell.get_parameter("weight_hh")!.copy_(p["weight_hh_l0"]);
            cell.get_parameter("bias")!.copy_(p["bias_ih_l0"] + p["bias_hh_l0"]);
        }

        var x = randn(7, 2, 3);
        var h0 = randn(1, 2, 5);
        var (expected, hn) = native.forward(x, h0);
        var (actual, state) = cell.Run(x, null, [h0[0]]);
        Assert.True((actual - expected).abs().max().item<float>() < 1e-5);
        Assert.True((state[0] - hn[0]).abs().max().item<float>() < 1e-5);
    }
}
