using TorchSharp;
using static TorchSharp.torch;

namespace RnnLab.Tasks.Memory;

/// <summary>Copy memory (Arjovsky et al. 2016): K symbols from {1…8}, T−1 blanks (0), a delimiter (9), K blanks;
/// the target is T+K blanks and then the K symbols. Tokens in, 9 classes out (blank + 8 symbols); metric
/// <c>xent</c> in nats per step. A memoryless model that answers blank for the first T+K steps and a uniform
/// guess for the last K scores <see cref="Baseline"/> = K·ln(8)/(T+2K).</summary>
public sealed class CopyMemoryTask : ITask
{
    public const int SymbolKinds = 8;
    public const int Blank = 0;
    public const int Delimiter = SymbolKinds + 1;

    public CopyMemoryTask(string name, int delay, int symbols, GeneratedSplits splits)
    {
        if (delay < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(delay), delay, "copy memory needs length (T) ≥ 1");
        }

        if (symbols < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(symbols), symbols, "copy memory needs symbols (K) ≥ 1");
        }

        Name = name;
        Delay = delay;
        Symbols = symbols;
        Splits = splits;
    }

    public string Name { get; }

    /// <summary>T: steps between the end of the symbols and the start of the answer.</summary>
    public int Delay { get; }

    /// <summary>K: symbols to remember.</summary>
    public int Symbols { get; }

    public int Steps => Delay + (2 * Symbols);

    public GeneratedSplits Splits { get; }

    /// <summary>K·ln(8)/(T+2K): cross-entropy per step of the best memoryless answer.</summary>
    public double Baseline => Symbols * Math.Log(SymbolKinds) / Steps;

    public int InputSize => SymbolKinds + 2;

    public bool TokenInput => true;

    public TaskHead Head => TaskHead.PerStepSoftmax;

    public TaskShape Shape => TaskShape.SequenceToAnswer;

    public int OutputSize => SymbolKinds + 1;

    public int DefaultChunkLength => 0;

    public IReadOnlyList<MetricDefinition> Metrics { get; } =
        [new("xent", LowerIsBetter: true, "cross-entropy per step (nats); memoryless baseline K·ln 8/(T+2K)")];

    public IEnumerable<Batch> Batches(DataSplit split, BatchOptions options) => Splits.Batches(split, options, Generate);

    public Batch Generate(int size, long seed)
    {
        var random = new Random((int)(seed & 0x7fffffff));
        var input = new long[Steps * size];
        var target = new long[Steps * size];
        for (var b = 0; b < size; b++)
        {
            for (var k = 0; k < Symbols; k++)
            {
                var symbol = random.Next(1, SymbolKinds + 1);
                input[(k * size) + b] = symbol;
                target[((Delay + Symbols + k) * size) + b] = symbol;
            }

            input[((Symbols + Delay - 1) * size) + b] = Delimiter;
        }

        return new Batch(
            torch.tensor(input, [Steps, size]),
            torch.tensor(target, [Steps, size]),
            torch.ones(Steps, size),
            continuesState: false,
            perStepTarget: true);
    }

    public BatchLoss Loss(Tensor output, Batch batch) => SymbolLoss.Masked(output, batch);

    public IReadOnlyDictionary<string, double> Summarize(LossTotals totals) =>
        new Dictionary<string, double> { ["xent"] = totals.Mean };
}
