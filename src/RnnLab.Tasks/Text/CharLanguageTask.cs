using TorchSharp;
using static TorchSharp.torch;

namespace RnnLab.Tasks.Text;

/// <summary>Character-level language model on a UTF-8 text: split by position (90/5/5 unless configured), each
/// split cut into <c>batch</c> parallel streams read in chunks with the state carried across chunks (truncated
/// BPTT). Metric <c>bpc</c>: bits per character (cross-entropy in bits per text element).</summary>
public sealed class CharLanguageTask : ITask
{
    public const int DefaultChunk = 100;

    private readonly SymbolRange _train;
    private readonly SymbolRange _valid;
    private readonly SymbolRange _test;
    private readonly long _epochSymbols;

    /// <param name="epochSymbols">Symbols of training text per epoch (0 = the whole training split); epochs then
    /// walk on through the text and wrap around.</param>
    public CharLanguageTask(string name, string text, double validFraction = 0.05, double testFraction = 0.05, long epochSymbols = 0)
        : this(name, EncodedCorpus.FromText(text), validFraction, testFraction, epochSymbols)
    {
    }

    /// <param name="corpus">The text, already encoded (see <see cref="EncodedCorpus.Read"/>); the task keeps it without copying.</param>
    public CharLanguageTask(string name, EncodedCorpus corpus, double validFraction = 0.05, double testFraction = 0.05, long epochSymbols = 0)
    {
        Name = name;
        Vocabulary = corpus.Vocabulary;
        (_train, _valid, _test) = CorpusSplits.Cut(name, corpus, validFraction, testFraction);
        _epochSymbols = epochSymbols;
    }

    public string Name { get; }

    public CharVocabulary Vocabulary { get; }

    public int SplitLength(DataSplit split) => Ids(split).Length;

    public int InputSize => Vocabulary.Count;

    public bool TokenInput => true;

    public TaskHead Head => TaskHead.PerStepSoftmax;

    public TaskShape Shape => TaskShape.NextStep;

    public int OutputSize => Vocabulary.Count;

    public int DefaultChunkLength => DefaultChunk;

    public IReadOnlyList<MetricDefinition> Metrics { get; } =
        [new("bpc", LowerIsBetter: true, "bits per character")];

    private SymbolRange Ids(DataSplit split) => split switch
    {
        DataSplit.Train => _train,
        DataSplit.Valid => _valid,
        DataSplit.Test => _test,
        _ => throw new ArgumentOutOfRangeException(nameof(split)),
    };

    public IEnumerable<Batch> Batches(DataSplit split, BatchOptions options)
    {
        options.Validate();
        var ids = Ids(split);
        var chunk = options.ChunkLength > 0 ? options.ChunkLength : DefaultChunk;
        // Each stream needs at least one input/target pair.
        var streams = (int)Math.Min(options.BatchSize, Math.Max(1, (ids.Length - 1) / 2));
        var streamLength = (ids.Length - 1) / streams;
        var chunks = (streamLength + chunk - 1) / chunk;
        var first = 0;
        var count = chunks;
        if (split == DataSplit.Train && _epochSymbols > 0)
        {
            count = (int)Math.Clamp(_epochSymbols / ((long)streams * chunk), 1, chunks);
            first = (int)((long)options.Epoch * count % chunks);
        }

        for (var i = 0; i < count; i++)
        {
            var c = (first + i) % chunks;
            var start = c * chunk;
            var steps = Math.Min(chunk, streamLength - start);
            yield return MakeBatch(ids, streams, streamLength, start, steps, continues: i > 0 && c > 0);
        }
    }

    private static Batch MakeBatch(SymbolRange ids, int streams, int streamLength, int start, int steps, bool continues)
    {
        var input = new long[steps * streams];
        var target = new long[steps * streams];
        for (var t = 0; t < steps; t++)
        {
            for (var b = 0; b < streams; b++)
            {
                var at = (b * streamLength) + start + t;
                input[(t * streams) + b] = ids[at];
                target[(t * streams) + b] = ids[at + 1];
            }
        }

        return new Batch(
            torch.tensor(input, [steps, streams]),
            torch.tensor(target, [steps, streams]),
            torch.ones(steps, streams),
            continues,
            perStepTarget: true);
    }

    public BatchLoss Loss(Tensor output, Batch batch) => SymbolLoss.Masked(output, batch);

    public IReadOnlyDictionary<string, double> Summarize(LossTotals totals) =>
        new Dictionary<string, double> { ["bpc"] = totals.Mean / Math.Log(2) };
}
