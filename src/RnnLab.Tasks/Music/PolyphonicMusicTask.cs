using TorchSharp;
using static TorchSharp.torch;

namespace RnnLab.Tasks.Music;

/// <summary>Next-frame prediction on 88-key piano rolls. The input at step t is frame t−1 (silence at t = 0) so
/// every frame is predicted; metric <c>nll</c> is the frame-level negative log-likelihood in nats: the sum over
/// the 88 keys of the binary cross-entropy, averaged over frames.</summary>
public sealed class PolyphonicMusicTask : ITask
{
    private readonly PianoRoll _roll;

    public PolyphonicMusicTask(string name, PianoRoll roll)
    {
        Name = name;
        _roll = roll;
    }

    public string Name { get; }

    public PianoRoll Roll => _roll;

    public int InputSize => PianoRoll.Keys;

    public bool TokenInput => false;

    public TaskHead Head => TaskHead.PerStepSigmoid;

    public TaskShape Shape => TaskShape.NextStep;

    public int OutputSize => PianoRoll.Keys;

    public int DefaultChunkLength => 0;

    public IReadOnlyList<MetricDefinition> Metrics { get; } =
        [new("nll", LowerIsBetter: true, "frame-level negative log-likelihood (nats per frame)")];

    public IEnumerable<Batch> Batches(DataSplit split, BatchOptions options)
    {
        options.Validate();
        var sequences = _roll.Split(split);
        var order = Enumerable.Range(0, sequences.Count).ToArray();
        if (split == DataSplit.Train)
        {
            new Random(Seeds.Derive(options.Seed, options.Epoch, 0x6d75)).Shuffle(order);
        }

        for (var start = 0; start < order.Length; start += options.BatchSize)
        {
            var rows = order.Skip(start).Take(options.BatchSize).Select(i => sequences[i]).ToList();
            yield return MakeBatch(rows);
        }
    }

    private static Batch MakeBatch(IReadOnlyList<IReadOnlyList<int[]>> rows)
    {
        var steps = rows.Max(r => r.Count);
        var size = rows.Count;
        var input = new float[steps * size * PianoRoll.Keys];
        var target = new float[steps * size * PianoRoll.Keys];
        var mask = new float[steps * size];
        for (var b = 0; b < size; b++)
        {
            var frames = rows[b];
            for (var t = 0; t < frames.Count; t++)
            {
                mask[(t * size) + b] = 1f;
                foreach (var key in frames[t])
                {
                    target[(((t * size) + b) * PianoRoll.Keys) + key] = 1f;
                    if (t + 1 < steps)
                    {
                        input[((((t + 1) * size) + b) * PianoRoll.Keys) + key] = 1f;
                    }
                }
            }
        }

        long[] shape = [steps, size, PianoRoll.Keys];
        return new Batch(
            torch.tensor(input, shape),
            torch.tensor(target, shape),
            torch.tensor(mask, [steps, size]),
            continuesState: false,
            perStepTarget: true,
            padded: rows.Any(r => r.Count != steps));
    }

    public BatchLoss Loss(Tensor output, Batch batch)
    {
        using var scope = torch.NewDisposeScope();
        var perKey = nn.functional.binary_cross_entropy_with_logits(output, batch.Target, reduction: nn.Reduction.None);
        var sum = (perKey.sum(-1) * batch.Mask).sum();
        var count = (long)batch.Mask.sum().item<float>();
        return new BatchLoss(sum.MoveToOuterDisposeScope(), count);
    }

    public IReadOnlyDictionary<string, double> Summarize(LossTotals totals) =>
        new Dictionary<string, double> { ["nll"] = totals.Mean };
}
