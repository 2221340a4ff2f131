using TorchSharp;
using static TorchSharp.torch;

namespace RnnLab.Models.Kernels;

/// <summary>
/// Chooses between the two forms of a sequence kernel's step loops. A small batch (online SGD: one sequence of tens of
/// steps, tens to hundreds of units) is bound by per-call overhead: each of a step's dozen small tensor ops pays a
/// native call, so its loops run in managed code over the tensors' memory instead (vectorised, no native call per
/// step). Large batches keep the tensor-op loops, whose matmuls use libtorch's threads.
/// </summary>
public static class ManagedStepLoops
{
    [ThreadStatic]
    private static bool? _forced;

    [ThreadStatic]
    private static long _runs;

    /// <summary>
    /// The largest batch × hidden size that runs the managed loops by default. Each row streams the recurrent
    /// weights once per step, so larger batches do better with one matmul for all rows: on one thread the managed
    /// loops won up to batch 4 at hidden 200 and batch 16 at hidden 50, and lost at batch 8, hidden 200.
    /// </summary>
    public static int MaxBatchUnits { get; set; } = 1024;

    /// <summary>Forces (true) or forbids (false) the managed loops on this thread until disposed; for tests and benchmarks.</summary>
    public static IDisposable Force(bool managed)
    {
        var previous = _forced;
        _forced = managed;
        return new Restore(previous);
    }

    /// <summary>Sequences (forward or backward) the managed loops have run on this thread; lets tests see which form ran.</summary>
    public static long Runs => _runs;

    /// <summary>Whether a sequence of this batch, hidden size, dtype and device runs the managed loops.</summary>
    internal static bool Applies(long batch, long hidden, ScalarType dtype, Device device)
    {
        if (device.type != DeviceType.CPU || dtype is not (ScalarType.Float32 or ScalarType.Float64))
        {
            return false;
        }

        return _forced ?? batch * hidden <= MaxBatchUnits;
    }

    internal static void Count() => _runs++;

    private sealed class Restore(bool? previous) : IDisposable
    {
        public void Dispose() => _forced = previous;
    }
}
