namespace RnnLab.Tasks;

/// <summary>How to cut a split into batches: size, chunk length for streamed data, and the seed/epoch that
/// fix the order (batches depend only on these, so a resumed run sees the same batches).</summary>
public sealed record BatchOptions(int BatchSize, int ChunkLength, long Seed, int Epoch)
{
    public void Validate()
    {
        if (BatchSize < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(BatchSize), BatchSize, "batch size must be at least 1");
        }

        if (ChunkLength < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(ChunkLength), ChunkLength, "chunk length must be 0 (task default) or positive");
        }
    }
}
