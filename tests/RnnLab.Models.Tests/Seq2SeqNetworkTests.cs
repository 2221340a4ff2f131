using RnnLab.CellGraphs;
using RnnLab.Models.Seq2Seq;
using TorchSharp;
using static TorchSharp.torch;

namespace RnnLab.Models.Tests;

/// <summary>The encoder–decoder: padding a source changes nothing (masked attention, held states), stepwise
/// decoding equals the teacher-forced pass, and beam search of width 1 is greedy decoding.</summary>
public sealed class Seq2SeqNetworkTests
{
    public Seq2SeqNetworkTests() => torch.set_num_threads(1);

    private static Seq2SeqNetwork Network(string cell, bool bidirectional, int layers = 1)
    {
        torch.manual_seed(4);
        return new Seq2SeqNetwork(new NetworkOptions
        {
            Cell = cell, InputSize = 9, TokenInput = true, HiddenSize = 8, Layers = layers, Bidirectional = bidirectional,
            Head = HeadKind.Sequence, OutputSize = 7, InitScale = 0.5,
        });
    }

    [Theory]
    [InlineData(CellNames.Lstm, true)]
    [InlineData(CellNames.Gru, false)]
    [InlineData(CellNames.Mut1, true)]
    public void Padding_the_source_does_not_change_the_output(string cell, bool bidirectional)
    {
        using var network = Network(cell, bidirectional, layers: 2);
        network.eval();
        using var scope = NewDisposeScope();
        var source = tensor(new long[] { 4, 5, 6 }, [3, 1]);
        var padded = tensor(new long[] { 4, 5, 6, 0, 0 }, [5, 1]);
        var mask = tensor(new float[] { 1, 1, 1, 0, 0 }, [5, 1]);
        var decoder = tensor(new long[] { 1, 3, 4 }, [3, 1]);

        var plain = network.Forward(source, null, decoder);
        var masked = network.Forward(padded, mask, decoder);

        Assert.True(plain.allclose(masked, rtol: 1e-5, atol: 1e-6), "a padded source changed the logits");
    }

    [Fact]
    public void Stepwise_decoding_equals_the_teacher_forced_pass()
    {
        using var network = Network(CellNames.Lstm, bidirectional: true);
        network.eval();
        using var scope = NewDisposeScope();
        var source = tensor(new long[] { 4, 5, 6, 7 }, [4, 1]);
        var decoder = tensor(new long[] { 1, 3, 4, 5 }, [4, 1]);

        var forced = network.Forward(source, null, decoder);
        var encoded = network.Encode(source, null);
        var state = network.InitialState(encoded);
        var steps = new List<Tensor>();
        for (var t = 0; t < 4; t++)
        {
            var (logits, next) = network.Decode(decoder.narrow(0, t, 1), state, encoded);
            steps.Add(logits);
            state = next;
        }

        Assert.True(forced.allclose(cat(steps, 0), rtol: 1e-5, atol: 1e-6));
    }

    [Fact]
    public void Beam_search_of_width_one_is_greedy_and_wider_beams_rank_their_hypotheses()
    {
        using var network = Network(CellNames.Gru, bidirectional: true);
        network.eval();
        var decoder = new SequenceDecoder(network, beginToken: 1, endToken: 2);
        using var source = tensor(new long[] { 4, 8, 6 }, [3, 1]);

        var greedy = decoder.Greedy(source, null, maxLength: 6)[0];
        var one = decoder.Beam(source, width: 1, maxLength: 6);
        var four = decoder.Beam(source, width: 4, maxLength: 6);

        Assert.Equal(greedy, one[0].Ids);
        Assert.NotEmpty(four);
        Assert.All(four, h => Assert.True(h.Ids.Length <= 6));
        Assert.InRange(four.Count, 1, 4);
        var normalised = four.Select(h => h.LogProbability / (h.Ids.Length + 1)).ToArray();
        Assert.Equal(normalised.OrderDescending(), normalised);
        Assert.All(four, h => Assert.True(h.LogProbability < 0));
    }

    [Fact]
    public void Training_reaches_every_parameter()
    {
        using var network = Network(CellNames.Gru, bidirectional: true, layers: 2);
        using var scope = NewDisposeScope();
        var source = tensor(new long[] { 4, 5, 6, 7, 0, 8 }, [3, 2]);
        var mask = tensor(new float[] { 1, 1, 1, 1, 1, 0 }, [3, 2]);
        var decoder = tensor(new long[] { 1, 1, 3, 4 }, [2, 2]);

        network.Forward(source, mask, decoder).sum().backward();

        Assert.All(network.named_parameters(), p => Assert.True(p.parameter.grad is not null && p.parameter.grad.abs().sum().item<float>() > 0, $"{p.name} has no gradient"));
    }
}
