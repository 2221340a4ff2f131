using System.Runtime.InteropServices;
using static TorchSharp.torch;

namespace RnnLab.Models.Kernels;

/// <summary>The elements of a contiguous CPU tensor as a span over its own memory (no copy).</summary>
internal static class TensorMemory
{
    public static Span<T> Of<T>(Tensor tensor)
        where T : unmanaged => MemoryMarshal.Cast<byte, T>(tensor.bytes);

    /// <summary>An empty span for an absent tensor.</summary>
    public static Span<T> OfOptional<T>(Tensor? tensor)
        where T : unmanaged => tensor is null ? default : Of<T>(tensor);
}
