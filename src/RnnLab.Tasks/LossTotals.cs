namespace RnnLab.Tasks;

/// <summary>A running sum of a task's loss and the number of units it was summed over (frames, characters,
/// sequences…), so that metrics over a whole split are exact averages rather than averages of batch means.</summary>
public readonly record struct LossTotals(double Sum, long Count)
{
    public LossTotals Add(double sum, long count) => new(Sum + sum, Count + count);

    public double Mean => Count == 0 ? double.NaN : Sum / Count;
}
