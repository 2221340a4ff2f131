using TorchSharp;
using static TorchSharp.torch;

namespace RnnLab.Tasks.Memory;

/// <summary>The adding problem (Hochreiter &amp; Schmidhuber 1997): T steps of (value ~ U(0,1), marker); exactly
/// two markers, one in each half; predict the sum of the two marked values. Metric <c>mse</c>. Always answering
/// 1 scores Var(a + b) = 2 · 1/12 = 1/6 ≈ 0.167 (<see cref="Baseline"/>).</summary>
public sealed class AddingTask : ITask
{
    public const double Baseline = 1.0 / 6.0;

    public AddingTask(string name, int length, GeneratedSplits splits)
    {
        if (length < 2)
        {
            throw new ArgumentOutOfRangeException(nameof(length), length, "the adding problem needs length ≥ 2");
        }

        Name = name;
        Length = length;
        Splits = splits;
    }

    public string Name { get; }

    public int Length { get; }

    public GeneratedSplits Splits { get; }

    public int InputSize => 2;

    public bool TokenInput => false;

    public TaskHead Head => TaskHead.LastStep;

    public TaskShape Shape => TaskShape.SequenceToAnswer;

    public int OutputSize => 1;

    public int DefaultChunkLength => 0;

    public IReadOnlyList<MetricDefinition> Metrics { get; } =
        [new("mse", LowerIsBetter: true, "mean squared error of the sum (baseline 0.167)")];

    public IEnumerable<Batch> Batches(DataSplit split, BatchOptions options) => Splits.Batches(split, options, Generate);

    /// <summary>One batch of <paramref name="size"/> sequences from a seed.</summary>
    public Batch Generate(int size, long seed)
    {
        var random = new Random((int)(seed & 0x7fffffff));
        var input = new float[Length * size * 2];
        var target = new float[size];
        var half = Length / 2;
        for (var b = 0; b < size; b++)
        {
            for (var t = 0; t < Length; t++)
            {
                input[((t * size) + b) * 2] = random.NextSingle();
            }

            var first = random.Next(0, half);
            var second = random.Next(half, Length);
            input[(((first * size) + b) * 2) + 1] = 1f;
            input[(((second * size) + b) * 2) + 1] = 1f;
            target[b] = input[((first * size) + b) * 2] + input[((second * size) + b) * 2];
        }

        return new Batch(
            torch.tensor(input, [Length, size, 2]),
            torch.tensor(target, [size, 1]),
            torch.ones(Length, size),
            continuesState: false,
            perStepTarget: false);
    }

    public BatchLoss Loss(Tensor output, Batch batch)
    {
        using var scope = torch.NewDisposeScope();
        var sum = (output - batch.Target).square().sum();
        return new BatchLoss(sum.MoveToOuterDisposeScope(), batch.Target.shape[0]);
    }

    public IReadOnlyDictionary<string, double> Summarize(LossTotals totals) =>
        new Dictionary<string, double> { ["mse"] = totals.Mean };
}
