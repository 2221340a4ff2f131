using RnnLab.Models;
using RnnLab.Tasks;
using RnnLab.Tasks.Text;
using TorchSharp;

namespace RnnLab.Training;

/// <summary>Writes text with a character language model: reads the prefix, then draws each next symbol from
/// softmax(logits / temperature) with a seeded generator, so a seed always gives the same text.
/// Temperature 0 takes the most likely symbol.</summary>
public sealed class TextSampler
{
    private readonly RecurrentNetwork _network;
    private readonly CharVocabulary _vocabulary;

    public TextSampler(RecurrentNetwork network, IReadOnlyList<string> vocabulary)
    {
        if (!network.Options.TokenInput || network.Options.Head != HeadKind.PerStepSoftmax || network.Options.OutputSize != vocabulary.Count)
        {
            throw new ArgumentException("text generation needs a character language model (token input, per-step softmax over its vocabulary)");
        }

        _network = network;
        _vocabulary = new CharVocabulary(vocabulary);
    }

    public static TextSampler From(TrainedModel model) =>
        new(model.Network, model.Vocabulary ?? throw new ArgumentException($"the checkpoint is for task '{model.Config.Task}', not a character language model: it cannot generate text"));

    /// <summary>The generated continuation (without the prefix).</summary>
    public string Sample(string prefix, int length, double temperature, long seed)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        if (temperature < 0 || !double.IsFinite(temperature))
        {
            throw new ArgumentOutOfRangeException(nameof(temperature), temperature, "temperature must be ≥ 0");
        }

        if (string.IsNullOrEmpty(prefix))
        {
            throw new ArgumentException("the prefix must not be empty: the model needs at least one symbol to start from");
        }

        var random = new Random((int)(Seeds.Mix((ulong)seed) & 0x7fffffff));
        var ids = _vocabulary.Encode(prefix);
        var output = new List<long>(length);
        _network.eval();
        using var noGrad = torch.no_grad();
        RecurrentState? state = null;
        try
        {
            var input = ids;
            for (var i = 0; i < length; i++)
            {
                using var scope = torch.NewDisposeScope();
                using var tokens = torch.tensor(input, [input.Length, 1]);
                var (logits, next) = _network.Forward(tokens, null, state);
                foreach (var t in next.Layers.SelectMany(l => l).SelectMany(d => d))
                {
                    t.DetachFromDisposeScope();
                }

                state?.Dispose();
                state = next;
                var last = logits[-1, 0].to(torch.ScalarType.Float64).data<double>().ToArray();
                var symbol = Draw(last, temperature, random);
                output.Add(symbol);
                input = [symbol];
            }
        }
        finally
        {
            state?.Dispose();
        }

        return _vocabulary.Decode(output);
    }

    private static long Draw(double[] logits, double temperature, Random random)
    {
        var best = 0;
        for (var i = 1; i < logits.Length; i++)
        {
            if (logits[i] > logits[best])
            {
                best = i;
            }
        }

        if (temperature == 0)
        {
            return best;
        }

        var weights = logits.Select(l => Math.Exp((l - logits[best]) / temperature)).ToArray();
        var u = random.NextDouble() * weights.Sum();
        for (var i = 0; i < weights.Length; i++)
        {
            u -= weights[i];
            if (u <= 0)
            {
                return i;
            }
        }

        return weights.Length - 1;
    }
}
