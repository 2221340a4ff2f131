using TorchSharp;

namespace RnnLab.Tasks;

/// <summary>A task whose evaluation metrics need more than the summed loss (accuracy, exact match, BLEU): the
/// evaluator hands it every batch's output, then asks for the metrics of the split.</summary>
public interface ICountedTask : ITask
{
    /// <summary>Adds what one evaluated batch contributes (no gradient is taken).</summary>
    void Count(torch.Tensor output, Batch batch, MetricCounts counts);

    /// <summary>The split's metric values from its loss totals and counts, keyed by metric name.</summary>
    IReadOnlyDictionary<string, double> Summarize(LossTotals totals, MetricCounts counts);
}
