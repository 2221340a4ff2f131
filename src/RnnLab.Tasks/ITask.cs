using TorchSharp;

namespace RnnLab.Tasks;

/// <summary>Data + output head + loss + metrics: everything a trainer needs to know about what it learns.</summary>
public interface ITask
{
    /// <summary>The name the task was created from (built-in name or file path).</summary>
    string Name { get; }

    /// <summary>Features per step, or the vocabulary size when <see cref="TokenInput"/>.</summary>
    int InputSize { get; }

    /// <summary>True when inputs are int64 token ids rather than float vectors.</summary>
    bool TokenInput { get; }

    TaskHead Head { get; }

    /// <summary>Whether targets are next-step predictions (no bidirectional layers) or come after the sequence.</summary>
    TaskShape Shape { get; }

    int OutputSize { get; }

    /// <summary>Reported metrics; the first is the one early stopping watches.</summary>
    IReadOnlyList<MetricDefinition> Metrics { get; }

    /// <summary>Default chunk length when a trainer asks for 0 (streamed tasks only; 0 = whole sequences).</summary>
    int DefaultChunkLength { get; }

    /// <summary>Seeded, deterministic batches of a split. The caller disposes each batch.</summary>
    IEnumerable<Batch> Batches(DataSplit split, BatchOptions options);

    /// <summary>The loss of network logits on a batch (or a time slice of it), summed over its units.</summary>
    BatchLoss Loss(torch.Tensor output, Batch batch);

    /// <summary>Turns a split's loss totals into its metric values, keyed by metric name.</summary>
    IReadOnlyDictionary<string, double> Summarize(LossTotals totals);
}
