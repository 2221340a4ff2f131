namespace RnnLab.Models;

/// <summary>What one cell needs to build its parameters.</summary>
public sealed record CellOptions(
    int InputSize,
    int HiddenSize,
    InitScheme Init = InitScheme.Uniform,
    double InitScale = 0.1,
    double ForgetBias = 0);
