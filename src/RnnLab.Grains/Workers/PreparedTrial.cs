namespace RnnLab.Grains.Workers;

/// <summary>A leased trial, with its attempt's start once that was asked for.</summary>
internal sealed record PreparedTrial(TrialAssignment Assignment, Task<TrialStart?>? Start);
