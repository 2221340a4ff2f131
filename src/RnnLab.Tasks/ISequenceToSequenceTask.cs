namespace RnnLab.Tasks;

/// <summary>A task whose network reads a source sequence and writes a target sequence (<see cref="TaskHead.Sequence"/>):
/// batches carry the decoder input, and evaluation also decodes the sources and scores what was written.</summary>
public interface ISequenceToSequenceTask : ITask
{
    /// <summary>The target id that starts every decoder input.</summary>
    int BeginToken { get; }

    /// <summary>The target id that ends every target.</summary>
    int EndToken { get; }

    /// <summary>The longest output a decoder may write (symbols, without the end token).</summary>
    int MaxOutputLength { get; }

    /// <summary>Adds what the decoded outputs of one batch (target ids, without begin/end tokens, one array per row) score.</summary>
    void CountDecoded(IReadOnlyList<long[]> outputs, Batch batch, MetricCounts counts);

    /// <summary>The split's metric values from its loss totals and decoded counts, keyed by metric name.</summary>
    IReadOnlyDictionary<string, double> Summarize(LossTotals totals, MetricCounts counts);
}
