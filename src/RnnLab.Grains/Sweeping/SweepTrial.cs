using RnnLab.Sweeps.Parameters;

namespace RnnLab.Grains.Sweeping;

/// <summary>What a sweep knows of one of its trials.</summary>
internal sealed record SweepTrial(Guid Id, ParameterSet Parameters, TrialState State, double? Objective);
