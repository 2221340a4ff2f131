using RnnLab.CellGraphs;
using TorchSharp;
using static TorchSharp.torch;

namespace RnnLab.Models.Tests;

/// <summary>Direction, padding, chunking and the heads, checked on every cell in float64.</summary>
public sealed class SequenceTests
{
    private static readonly int[] Lengths = [5, 3, 1];

    public SequenceTests() => set_num_threads(1);

    public static TheoryData<string> Cells() => new(CellNames.All);

    [Theory]
    [MemberData(nameof(Cells))]
    public void Backward_direction_equals_a_forward_cell_run_on_each_reversed_sequence(string cell)
    {
        manual_seed(21);
        using var layer = new RecurrentLayer(cell, new CellOptions(3, 4, InitScale: 0.5), bidirectional: true);
        using var single = new RecurrentLayer(cell, new CellOptions(3, 4, InitScale: 0.5), bidirectional: false);
        layer.to(float64);
        single.to(float64);
        CopyParameters(layer.BackwardCell!, single.ForwardCell);

        var x = randn(5, 3, 3, float64);
        var (output, _) = layer.Run(x, GradientCheck.LengthMask(), null);
        for (var b = 0; b < Lengths.Length; b++)
        {
            var len = Lengths[b];
            var reversed = x.narrow(0, 0, len).narrow(1, b, 1).flip(0);
            var (expected, _) = single.Run(reversed, null, null);
            var actual = output.narrow(0, 0, len).narrow(1, b, 1).narrow(2, 4, 4).flip(0);
            Assert.True(GradientCheck.MaxDifference(actual, expected) < 1e-12, $"{cell}: sequence {b}");
        }
    }

    [Theory]
    [MemberData(nameof(Cells))]
    public void A_padded_batch_gives_each_sequence_its_unpadded_outputs_and_gradients(string cell)
    {
        using var net = GradientCheck.Network(cell, layers: 2, bidirectional: true);
        manual_seed(22);
        var x = randn(5, 3, 3, float64);
        var mask = GradientCheck.LengthMask();
        var weights = randn(5, 3, 2, float64) * mask.unsqueeze(2);

        net.zero_grad();
        var (padded, _) = net.Forward(x, mask);
        (padded * weights).sum().backward();
        var paddedGrads = net.parameters().Select(p => p.grad!.clone()).ToArray();

        net.zero_grad();
        for (var b = 0; b < Lengths.Length; b++)
        {
            var len = Lengths[b];
            var (alone, _) = net.Forward(x.narrow(0, 0, len).narrow(1, b, 1));
            var fromBatch = padded.narrow(0, 0, len).narrow(1, b, 1);
            Assert.True(GradientCheck.MaxDifference(alone, fromBatch) < 1e-12, $"{cell}: outputs of sequence {b}");
            (alone * weights.narrow(0, 0, len).narrow(1, b, 1)).sum().backward();
        }

        var names = net.named_parameters().Select(p => p.name).ToArray();
        var aloneGrads = net.parameters().Select(p => p.grad!).ToArray();
        for (var p = 0; p < names.Length; p++)
        {
            Assert.True(GradientCheck.MaxDifference(paddedGrads[p], aloneGrads[p]) < 1e-10, $"{cell}: gradient of {names[p]}");
        }
    }

    [Theory]
    [MemberData(nameof(Cells))]
    public void Carrying_the_state_across_chunks_continues_the_sequence(string cell)
    {
        using var net = GradientCheck.Network(cell, layers: 2, bidirectional: false);
        manual_seed(23);
        var x = randn(6, 2, 3, float64);
        var (whole, wholeState) = net.Forward(x);
        var (first, state) = net.Forward(x.narrow(0, 0, 4));
        var (second, finalState) = net.Forward(x.narrow(0, 4, 2), state: state.Detach());
        Assert.True(GradientCheck.MaxDifference(cat([first, second]), whole) < 1e-12);
        var expected = wholeState.Layers.SelectMany(l => l).SelectMany(d => d).ToArray();
        var actual = finalState.Layers.SelectMany(l => l).SelectMany(d => d).ToArray();
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.True(GradientCheck.MaxDifference(expected[i], actual[i]) < 1e-12);
        }
    }

    [Fact]
    public void Last_step_head_reads_each_sequence_at_its_last_valid_step()
    {
        using var perStep = GradientCheck.Network(CellNames.Lstm, layers: 1, bidirectional: true);
        using var lastStep = GradientCheck.Network(CellNames.Lstm, layers: 1, bidirectional: true, HeadKind.LastStep);
        CopyParameters(perStep, lastStep);
        manual_seed(24);
        var x = randn(5, 3, 3, float64);
        var (all, _) = perStep.Forward(x, GradientCheck.LengthMask());
        var (last, _) = lastStep.Forward(x, GradientCheck.LengthMask());
        Assert.Equal(new long[] { 3, 2 }, last.shape);
        for (var b = 0; b < Lengths.Length; b++)
        {
            Assert.True(GradientCheck.MaxDifference(last[b], all[Lengths[b] - 1, b]) < 1e-12, $"sequence {b}");
        }

        var (unmasked, _) = lastStep.Forward(x);
        var (allUnmasked, _) = perStep.Forward(x);
        Assert.True(GradientCheck.MaxDifference(unmasked, allUnmasked[-1]) < 1e-12);
    }

    [Fact]
    public void Token_input_looks_up_the_embedding_of_each_token()
    {
        manual_seed(25);
        using var tokens = new RecurrentNetwork(new NetworkOptions
        {
            Cell = CellNames.Gru, InputSize = 7, TokenInput = true, EmbeddingSize = 3, HiddenSize = 4, OutputSize = 7,
            Head = HeadKind.PerStepSoftmax,
        });
        using var features = new RecurrentNetwork(new NetworkOptions
        {
            Cell = CellNames.Gru, InputSize = 3, HiddenSize = 4, OutputSize = 7, Head = HeadKind.PerStepSoftmax,
        });
        CopyParameters(tokens, features);
        var ids = tensor(new long[,] { { 1, 6 }, { 0, 2 }, { 6, 6 } });
        var embedding = tokens.get_parameter("embedding.weight")!;

        var (fromTokens, _) = tokens.Forward(ids);
        var (fromVectors, _) = features.Forward(embedding.index_select(0, ids.view(-1)).view(3, 2, 3));
        Assert.Equal(new long[] { 3, 2, 7 }, fromTokens.shape);
        Assert.True((fromTokens - fromVectors).abs().max().item<float>() < 1e-6);

        fromTokens.sum().backward();
        var rowsWithGradient = embedding.grad!.abs().sum(1).gt(0);
        Assert.Equal(new[] { true, true, true, false, false, false, true }, rowsWithGradient.data<bool>().ToArray());
    }

    [Fact]
    public void Dropout_acts_between_layers_in_training_only()
    {
        manual_seed(26);
        using var net = new RecurrentNetwork(new NetworkOptions
        {
            Cell = CellNames.Lstm, InputSize = 3, HiddenSize = 8, Layers = 2, Dropout = 0.5, OutputSize = 2,
        });
        var x = randn(4, 2, 3);
        net.eval();
        var (a, _) = net.Forward(x);
        var (b, _) = net.Forward(x);
        Assert.True((a - b).abs().max().item<float>() == 0);
        net.train();
        var (c, _) = net.Forward(x);
        Assert.True((a - c).abs().max().item<float>() > 1e-4);
    }

    [Fact]
    public void Bad_input_names_what_is_wrong()
    {
        using var net = new RecurrentNetwork(new NetworkOptions { Cell = CellNames.Lstm, InputSize = 3, OutputSize = 1 });
        Assert.Contains("[T,B,3]", Assert.Throws<ArgumentException>(() => net.Forward(randn(4, 2, 5))).Message);
        Assert.Contains("Mask", Assert.Throws<ArgumentException>(() => net.Forward(randn(4, 2, 3), ones(3, 2))).Message);
        Assert.Contains("HiddenSize", Assert.Throws<ArgumentException>(
            () => new RecurrentNetwork(new NetworkOptions { Cell = CellNames.Lstm, InputSize = 3, OutputSize = 1, HiddenSize = 0 })).Message);
    }

    private static void CopyParameters(nn.Module from, nn.Module to)
    {
        var source = from.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        using var _ = no_grad();
        foreach (var (name, p) in to.named_parameters())
        {
            p.copy_(source[name]);
        }
    }
}
