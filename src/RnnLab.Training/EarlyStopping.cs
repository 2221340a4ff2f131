namespace RnnLab.Training;

/// <summary>Tracks the best validation value for early stopping (with patience) and for learning-rate decay on a
/// plateau. Plain numbers only, so it round-trips through a checkpoint.</summary>
internal sealed class EarlyStopping(bool lowerIsBetter, int patience, int lrPatience)
{
    public double? BestValue { get; set; }

    public int BestEpoch { get; set; }

    public int BadEpochs { get; set; }

    public double? PlateauBest { get; set; }

    public int PlateauBadEpochs { get; set; }

    public bool Stopped { get; set; }

    /// <summary>Records an epoch's value; returns true when it is the best so far.</summary>
    public bool Observe(int epoch, double value)
    {
        var improved = BestValue is null || Better(value, BestValue.Value);
        if (improved)
        {
            BestValue = value;
            BestEpoch = epoch;
            BadEpochs = 0;
        }
        else
        {
            BadEpochs++;
            Stopped = patience > 0 && BadEpochs >= patience;
        }

        return improved;
    }

    /// <summary>True when the learning rate should decay now (no plateau improvement for lrPatience epochs).</summary>
    public bool ObservePlateau(double value)
    {
        if (PlateauBest is null || Better(value, PlateauBest.Value))
        {
            PlateauBest = value;
            PlateauBadEpochs = 0;
            return false;
        }

        PlateauBadEpochs++;
        if (lrPatience > 0 && PlateauBadEpochs >= lrPatience)
        {
            PlateauBadEpochs = 0;
            return true;
        }

        return false;
    }

    private bool Better(double a, double b) => lowerIsBetter ? a < b : a > b;
}
