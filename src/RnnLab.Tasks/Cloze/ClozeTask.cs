using RnnLab.Tasks.Text;
using TorchSharp;
using static TorchSharp.torch;

namespace RnnLab.Tasks.Cloze;

/// <summary>Fill in the blanks: a text (split by position, 90/5/5 unless configured) cut into windows of
/// <c>length</c> symbols; in each window spans of symbols are replaced by a mask token and the network predicts
/// the hidden symbols from the whole window. Metrics on the hidden positions only: <c>nll</c> (nats per hidden
/// symbol) and <c>accuracy</c>. A unidirectional network sees only the left context of a blank; a bidirectional
/// one sees both sides. Training masks change every epoch; valid/test masks are fixed by the data seed.</summary>
public sealed class ClozeTask : ICountedTask
{
    private const long Ignored = SymbolLoss.Ignored;

    private readonly SymbolRange _train;
    private readonly SymbolRange _valid;
    private readonly SymbolRange _test;

    public ClozeTask(string name, EncodedCorpus corpus, ClozeOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Name = name;
        Options = options;
        Vocabulary = corpus.Vocabulary;
        (_train, _valid, _test) = CorpusSplits.Cut(name, corpus, options.ValidFraction, options.TestFraction, options.Length);
        Masker = new SpanMasker(options.MaskFraction, options.MaxSpan);
    }

    public string Name { get; }

    public ClozeOptions Options { get; }

    public CharVocabulary Vocabulary { get; }

    public SpanMasker Masker { get; }

    /// <summary>The input id that stands for a hidden symbol (one past the vocabulary).</summary>
    public int MaskToken => Vocabulary.Count;

    public int InputSize => Vocabulary.Count + 1;

    public bool TokenInput => true;

    public TaskHead Head => TaskHead.PerStepSoftmax;

    public TaskShape Shape => TaskShape.Masked;

    public int OutputSize => Vocabulary.Count;

    public int DefaultChunkLength => 0;

    public IReadOnlyList<MetricDefinition> Metrics { get; } =
    [
        new("nll", LowerIsBetter: true, "cross-entropy per hidden symbol (nats)"),
        new("accuracy", LowerIsBetter: false, "share of hidden symbols predicted exactly"),
    ];

    private SymbolRange Ids(DataSplit split) => split switch
    {
        DataSplit.Train => _train,
        DataSplit.Valid => _valid,
        DataSplit.Test => _test,
        _ => throw new ArgumentOutOfRangeException(nameof(split)),
    };

    /// <summary>Windows a split is cut into (before <c>epoch_chars</c>/<c>eval_chars</c> limits).</summary>
    public int Windows(DataSplit split) => Ids(split).Length / Options.Length;

    public IEnumerable<Batch> Batches(DataSplit split, BatchOptions options)
    {
        options.Validate();
        var ids = Ids(split);
        var windows = Windows(split);
        var limit = split == DataSplit.Train ? Options.EpochChars : Options.EvalChars;
        var count = limit > 0 ? (int)Math.Clamp(limit / Options.Length, 1, windows) : windows;
        var epoch = split == DataSplit.Train ? options.Epoch : 0;
        var order = Enumerable.Range(0, windows).ToArray();
        if (split == DataSplit.Train)
        {
            new Random(Seeds.Derive(Options.DataSeed, 0x636c6f7a, epoch)).Shuffle(order);
        }

        for (var start = 0; start < count; start += options.BatchSize)
        {
            var picked = order.AsSpan(start, Math.Min(options.BatchSize, count - start)).ToArray();
            yield return MakeBatch(ids, picked, split, epoch);
        }
    }

    private Batch MakeBatch(SymbolRange ids, int[] windows, DataSplit split, int epoch)
    {
        var length = Options.Length;
        var size = windows.Length;
        var input = new long[length * size];
        var target = new long[length * size];
        for (var b = 0; b < size; b++)
        {
            var random = new Random(Seeds.Derive(Options.DataSeed, ((long)split << 32) | (uint)epoch, windows[b]));
            var hidden = Masker.Choose(length, random);
            var offset = windows[b] * length;
            for (var t = 0; t < length; t++)
            {
                var symbol = ids[offset + t];
                input[(t * size) + b] = hidden[t] ? MaskToken : symbol;
                target[(t * size) + b] = hidden[t] ? symbol : Ignored;
            }
        }

        return new Batch(
            torch.tensor(input, [length, size]),
            torch.tensor(target, [length, size]),
            torch.ones(length, size),
            continuesState: false,
            perStepTarget: true);
    }

    public BatchLoss Loss(Tensor output, Batch batch) => SymbolLoss.SkippingIgnored(output, batch);

    public void Count(Tensor output, Batch batch, MetricCounts counts)
    {
        using var scope = torch.NewDisposeScope();
        var hidden = SymbolLoss.CountedTargets(batch);
        var correct = output.argmax(-1).eq(batch.Target).logical_and(hidden).sum().item<long>();
        counts.Add("correct", correct);
        counts.Add("hidden", hidden.sum().item<long>());
    }

    public IReadOnlyDictionary<string, double> Summarize(LossTotals totals) =>
        new Dictionary<string, double> { ["nll"] = totals.Mean };

    public IReadOnlyDictionary<string, double> Summarize(LossTotals totals, MetricCounts counts) =>
        new Dictionary<string, double>
        {
            ["nll"] = totals.Mean,
            ["accuracy"] = counts["hidden"] > 0 ? counts["correct"] / counts["hidden"] : double.NaN,
        };
}
