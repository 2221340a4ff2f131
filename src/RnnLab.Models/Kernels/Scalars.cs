using TorchSharp;

namespace RnnLab.Models.Kernels;

/// <summary>Shared scalar constants, so the step loops do not create a native scalar per call.</summary>
internal static class Scalars
{
    public static readonly Scalar One = 1.0;
    public static readonly Scalar MinusOne = -1.0;
}
