using TorchSharp;
using static TorchSharp.torch;

namespace RnnLab.Tasks.Translation;

/// <summary>Translation with an encoder–decoder network: the encoder reads the source sentence, the decoder writes
/// the target one symbol at a time (teacher forcing in training). Metrics: <c>nll</c> (nats per target symbol,
/// the end token included), and from greedy decoding <c>exact_match</c> (share of sentences written exactly) and
/// <c>bleu</c> (corpus BLEU-4 with the brevity penalty, see <see cref="Bleu"/>).</summary>
public sealed class TranslationTask : ISequenceToSequenceTask
{
    private const long Ignored = SymbolLoss.Ignored;

    private readonly Dictionary<DataSplit, (long[] Source, long[] Target)[]> _splits;

    public TranslationTask(string name, IReadOnlyList<SentencePair> train, IReadOnlyList<SentencePair> valid, IReadOnlyList<SentencePair> test, TranslationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (train.Count == 0 || valid.Count == 0 || test.Count == 0)
        {
            throw new ArgumentException($"task '{name}' needs sentence pairs in each of train, valid and test (has {train.Count}/{valid.Count}/{test.Count})");
        }

        Name = name;
        Options = options;
        SourceVocabulary = TokenVocabulary.Build(train.Select(p => p.Source), options.Tokenization, options.MaxVocabulary);
        TargetVocabulary = TokenVocabulary.Build(train.Select(p => p.Target), options.Tokenization, options.MaxVocabulary);
        _splits = new Dictionary<DataSplit, (long[], long[])[]>
        {
            [DataSplit.Train] = Encode(train),
            [DataSplit.Valid] = Encode(valid),
            [DataSplit.Test] = Encode(test),
        };
    }

    public string Name { get; }

    public TranslationOptions Options { get; }

    public TokenVocabulary SourceVocabulary { get; }

    public TokenVocabulary TargetVocabulary { get; }

    public int InputSize => SourceVocabulary.Count;

    public bool TokenInput => true;

    public TaskHead Head => TaskHead.Sequence;

    public TaskShape Shape => TaskShape.SequenceToSequence;

    public int OutputSize => TargetVocabulary.Count;

    public int DefaultChunkLength => 0;

    public int BeginToken => TokenVocabulary.Begin;

    public int EndToken => TokenVocabulary.End;

    public int MaxOutputLength => Options.MaxLength;

    public IReadOnlyList<MetricDefinition> Metrics { get; } =
    [
        new("nll", LowerIsBetter: true, "cross-entropy per target symbol (nats), teacher forced"),
        new("exact_match", LowerIsBetter: false, "share of sentences that greedy decoding writes exactly"),
        new("bleu", LowerIsBetter: false, "corpus BLEU-4 with brevity penalty of greedy decoding (0…100)"),
    ];

    public int Count(DataSplit split) => _splits[split].Length;

    private (long[] Source, long[] Target)[] Encode(IReadOnlyList<SentencePair> pairs) => pairs
        .Select(p => (Cut(SourceVocabulary.Encode(p.Source)), Cut(TargetVocabulary.Encode(p.Target))))
        .ToArray();

    private long[] Cut(long[] ids) => ids.Length > Options.MaxLength ? ids[..Options.MaxLength] : ids;

    public IEnumerable<Batch> Batches(DataSplit split, BatchOptions options)
    {
        options.Validate();
        var pairs = _splits[split];
        var order = Enumerable.Range(0, pairs.Length).ToArray();
        if (split == DataSplit.Train)
        {
            new Random(Seeds.Derive(options.Seed, 0x73327332, options.Epoch)).Shuffle(order);
        }

        for (var start = 0; start < order.Length; start += options.BatchSize)
        {
            var rows = order.AsSpan(start, Math.Min(options.BatchSize, order.Length - start)).ToArray().Select(i => pairs[i]).ToArray();
            yield return MakeBatch(rows);
        }
    }

    /// <summary>A batch of sources only (for decoding); the target side holds just end tokens.</summary>
    public Batch SourceBatch(IReadOnlyList<string> sources) =>
        MakeBatch(sources.Select(s => (Cut(SourceVocabulary.Encode(s)), Array.Empty<long>())).ToArray());

    private static Batch MakeBatch((long[] Source, long[] Target)[] rows)
    {
        var size = rows.Length;
        var sourceSteps = Math.Max(1, rows.Max(r => r.Source.Length));
        var targetSteps = rows.Max(r => r.Target.Length) + 1;
        var input = new long[sourceSteps * size];
        var mask = new float[sourceSteps * size];
        var decoder = new long[targetSteps * size];
        var target = new long[targetSteps * size];
        Array.Fill(target, Ignored);
        for (var b = 0; b < size; b++)
        {
            var (source, words) = rows[b];
            for (var t = 0; t < source.Length; t++)
            {
                input[(t * size) + b] = source[t];
                mask[(t * size) + b] = 1;
            }

            decoder[b] = TokenVocabulary.Begin;
            for (var t = 0; t < words.Length; t++)
            {
                decoder[((t + 1) * size) + b] = words[t];
                target[(t * size) + b] = words[t];
            }

            target[(words.Length * size) + b] = TokenVocabulary.End;
        }

        return new Batch(
            torch.tensor(input, [sourceSteps, size]),
            torch.tensor(target, [targetSteps, size]),
            torch.tensor(mask, [sourceSteps, size]),
            continuesState: false,
            perStepTarget: false,
            padded: true)
        {
            DecoderInput = torch.tensor(decoder, [targetSteps, size]),
        };
    }

    public BatchLoss Loss(Tensor output, Batch batch) => SymbolLoss.SkippingIgnored(output, batch);

    public void CountDecoded(IReadOnlyList<long[]> outputs, Batch batch, MetricCounts counts)
    {
        var references = References(batch);
        if (outputs.Count != references.Count)
        {
            throw new ArgumentException($"{outputs.Count} decoded outputs for a batch of {references.Count}");
        }

        for (var b = 0; b < references.Count; b++)
        {
            counts.Add("sentences", 1);
            counts.Add("exact", outputs[b].AsSpan().SequenceEqual(references[b]) ? 1 : 0);
            Bleu.Count(outputs[b], references[b], counts);
        }
    }

    /// <summary>Each row's target ids, up to its end token.</summary>
    public static IReadOnlyList<long[]> References(Batch batch)
    {
        var steps = (int)batch.Target.shape[0];
        var size = (int)batch.Target.shape[1];
        var target = batch.Target.data<long>().ToArray();
        var rows = new List<long[]>(size);
        for (var b = 0; b < size; b++)
        {
            var row = new List<long>();
            for (var t = 0; t < steps && target[(t * size) + b] is var id && id != TokenVocabulary.End && id != Ignored; t++)
            {
                row.Add(id);
            }

            rows.Add(row.ToArray());
        }

        return rows;
    }

    public IReadOnlyDictionary<string, double> Summarize(LossTotals totals) =>
        new Dictionary<string, double> { ["nll"] = totals.Mean };

    public IReadOnlyDictionary<string, double> Summarize(LossTotals totals, MetricCounts counts) =>
        new Dictionary<string, double>
        {
            ["nll"] = totals.Mean,
            ["exact_match"] = counts["sentences"] > 0 ? counts["exact"] / counts["sentences"] : double.NaN,
            ["bleu"] = Bleu.Score(counts),
        };
}
