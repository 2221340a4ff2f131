namespace RnnLab.Grains.Trials;

/// <summary>Where an attempt's epoch report falls against the epochs recorded so far.</summary>
internal enum EpochOrder
{
    /// <summary>The epoch the trial expects next: record it.</summary>
    Next,

    /// <summary>Already recorded (a report repeated after a lost reply): nothing to do.</summary>
    Repeated,

    /// <summary>Past the next expected epoch: epochs between were lost with a silo.</summary>
    Hole,
}
