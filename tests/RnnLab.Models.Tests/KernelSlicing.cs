using System.Runtime.CompilerServices;
using RnnLab.Models.Kernels;

namespace RnnLab.Models.Tests;

/// <summary>Runs every test's kernels on two batch slices (two threads), as on a multi-core machine, with one torch thread.</summary>
internal static class KernelSlicing
{
    [ModuleInitializer]
    internal static void SplitBatchesInTwo() => KernelParallelism.MaxSlices = 2;
}
