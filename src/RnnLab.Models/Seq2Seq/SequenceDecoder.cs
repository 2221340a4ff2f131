using TorchSharp;
using static TorchSharp.torch;

namespace RnnLab.Models.Seq2Seq;

/// <summary>Writes outputs with a trained <see cref="Seq2SeqNetwork"/>: greedy (the most likely symbol at each
/// step, a whole batch at once) or beam search (the <c>width</c> most likely prefixes of one source, finished
/// hypotheses ranked by log-probability per symbol, the end token counted).</summary>
public sealed class SequenceDecoder(Seq2SeqNetwork network, int beginToken, int endToken)
{
    /// <summary>Per batch row the ids written before the end token (at most <paramref name="maxLength"/>).</summary>
    public IReadOnlyList<long[]> Greedy(Tensor source, Tensor? mask, int maxLength)
    {
        using var noGrad = torch.no_grad();
        using var scope = torch.NewDisposeScope();
        var size = (int)source.shape[1];
        var encoded = network.Encode(source, mask);
        var state = network.InitialState(encoded);
        var tokens = torch.full(new long[] { 1, size }, beginToken, ScalarType.Int64);
        var outputs = Enumerable.Range(0, size).Select(_ => new List<long>()).ToArray();
        var done = new bool[size];
        for (var step = 0; step < maxLength && done.Contains(false); step++)
        {
            var (logits, next) = network.Decode(tokens, state, encoded);
            state = next;
            tokens = logits.argmax(-1);
            var ids = tokens.data<long>().ToArray();
            for (var b = 0; b < size; b++)
            {
                if (done[b])
                {
                    continue;
                }

                if (ids[b] == endToken)
                {
                    done[b] = true;
                }
                else
                {
                    outputs[b].Add(ids[b]);
                }
            }
        }

        return outputs.Select(o => o.ToArray()).ToArray();
    }

    /// <summary>The best hypotheses for one source [S,1], best first, each with its log-probability.</summary>
    public IReadOnlyList<(long[] Ids, double LogProbability)> Beam(Tensor source, int width, int maxLength)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        if (source.dim() != 2 || source.shape[1] != 1)
        {
            throw new ArgumentException("beam search reads one source [S,1] at a time", nameof(source));
        }

        using var noGrad = torch.no_grad();
        using var scope = torch.NewDisposeScope();
        var encoded = network.Encode(source, null);
        var repeated = new EncodedSource(
            encoded.Outputs.expand(-1, width, -1),
            encoded.Keys.expand(-1, width, -1),
            null,
            encoded.FinalState.Select(d => d.Select(t => t.expand(width, -1)).ToArray()).ToArray());
        var state = network.InitialState(repeated);
        var prefixes = Enumerable.Range(0, width).Select(_ => new List<long>()).ToArray();
        // Only the first beam is live at the start, so the first step does not pick one symbol `width` times.
        var scores = Enumerable.Range(0, width).Select(i => i == 0 ? 0.0 : double.NegativeInfinity).ToArray();
        var tokens = torch.full(new long[] { 1, width }, beginToken, ScalarType.Int64);
        var finished = new List<(long[] Ids, double LogProbability)>();
        for (var step = 0; step <= maxLength && finished.Count < width; step++)
        {
            var (logits, next) = network.Decode(tokens, state, encoded: repeated);
            var logp = logits[0].log_softmax(-1).to(ScalarType.Float64);
            var vocabulary = (int)logp.shape[1];
            var total = (logp + torch.tensor(scores).unsqueeze(1)).reshape(-1);
            var (best, index) = total.topk(width);
            var bestScores = best.data<double>().ToArray();
            var picks = index.data<long>().ToArray();
            var rows = new long[width];
            var newPrefixes = new List<long>[width];
            var newTokens = new long[width];
            for (var k = 0; k < width; k++)
            {
                var beam = (int)(picks[k] / vocabulary);
                var symbol = picks[k] % vocabulary;
                rows[k] = beam;
                newPrefixes[k] = [.. prefixes[beam]];
                newTokens[k] = symbol;
                scores[k] = bestScores[k];
                if (double.IsNegativeInfinity(bestScores[k]))
                {
                    continue;
                }

                if (symbol == endToken || step == maxLength)
                {
                    finished.Add((newPrefixes[k].ToArray(), bestScores[k]));
                    scores[k] = double.NegativeInfinity;
                }
                else
                {
                    newPrefixes[k].Add(symbol);
                }
            }

            if (scores.All(double.IsNegativeInfinity))
            {
                break;
            }

            var order = torch.tensor(rows);
            state = next.Select(layer => layer.Select(t => t.index_select(0, order)).ToArray()).ToArray();
            prefixes = newPrefixes;
            tokens = torch.tensor(newTokens, [1, width]);
        }

        return finished.OrderByDescending(h => h.LogProbability / (h.Ids.Length + 1)).ToArray();
    }
}
