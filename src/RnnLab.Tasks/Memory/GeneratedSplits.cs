namespace RnnLab.Tasks.Memory;

/// <summary>Seeds and sizes of generated data: fresh training sequences every epoch, fixed valid/test sets;
/// everything derived from the task's data seed so runs repeat exactly.</summary>
public sealed record GeneratedSplits(int TrainSize, int EvalSize, long DataSeed)
{
    public int Size(DataSplit split) => split == DataSplit.Train ? TrainSize : EvalSize;

    /// <summary>Seed for one batch: train batches depend on the epoch, valid/test never do.</summary>
    public long BatchSeed(DataSplit split, int epoch, int batchIndex) =>
        Seeds.Derive(DataSeed, ((long)split << 32) | (uint)(split == DataSplit.Train ? epoch : 0), batchIndex);

    public IEnumerable<(int Index, int Size)> BatchSizes(DataSplit split, int batchSize)
    {
        var total = Size(split);
        for (int index = 0, start = 0; start < total; index++, start += batchSize)
        {
            yield return (index, Math.Min(batchSize, total - start));
        }
    }

    /// <summary>The batches of one split, each generated from its own seed by <paramref name="generate"/> (size, seed).</summary>
    public IEnumerable<Batch> Batches(DataSplit split, BatchOptions options, Func<int, long, Batch> generate)
    {
        options.Validate();
        foreach (var (index, size) in BatchSizes(split, options.BatchSize))
        {
            yield return generate(size, BatchSeed(split, options.Epoch, index));
        }
    }
}
