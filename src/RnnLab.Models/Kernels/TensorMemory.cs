using System.Runtime.CompilerServices;
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

/// <summary>
/// Where a contiguous CPU tensor's elements are, found once: <see cref="Span"/> then opens them without a native call,
/// for loops that revisit the same tensors at every step. The tensor must outlive it and keep its storage.
/// </summary>
internal readonly unsafe struct PinnedMemory<T>
    where T : unmanaged
{
    private readonly T* _first;
    private readonly int _length;

    private PinnedMemory(T* first, int length)
    {
        _first = first;
        _length = length;
    }

    public Span<T> Span => new(_first, _length);

    public static PinnedMemory<T> Of(Tensor tensor)
    {
        var span = TensorMemory.Of<T>(tensor);
        return new PinnedMemory<T>((T*)Unsafe.AsPointer(ref MemoryMarshal.GetReference(span)), span.Length);
    }
}
