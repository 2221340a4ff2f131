namespace RnnLab.Grains;

/// <summary>Where a sweep is in its life.</summary>
[GenerateSerializer]
public enum SweepState
{
    Running,
    Paused,
    Completed,
    Cancelled,
    Failed,
}
