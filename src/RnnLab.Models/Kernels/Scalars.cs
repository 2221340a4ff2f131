using TorchSharp;

namespace RnnLab.Models.Kernels;

/// <summary>
/// Shared scalar constants for the kernels' and the networks' training-path tensor ops, which never pass an implicitly
/// converted number
/// (<c>x.add_(y)</c> is <c>x.add_(y, 1)</c>; <c>1 - m</c> converts 1 too). Such a temporary <see cref="Scalar"/> is
/// unreachable once its handle is read, so a collection started by another thread (a second trial training in the same
/// process) can finalize it, freeing the native scalar while the native op still reads it: libtorch then fails on a
/// garbage scalar ("Expected false to be true" from c10::Scalar::to) or reads freed memory. These stay rooted, and no
/// step allocates a native scalar.
/// </summary>
internal static class Scalars
{
    public static readonly Scalar One = 1.0;
    public static readonly Scalar MinusOne = -1.0;
    public static readonly Scalar Zero = 0.0;
    public static readonly Scalar NegativeInfinity = double.NegativeInfinity;
}
