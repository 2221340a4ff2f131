using System.Collections.Concurrent;
using TorchSharp;

namespace RnnLab.Models.Kernels;

/// <summary>
/// Runs the step loops of independent batch slices on dedicated threads, each with one intra-op thread. Batch rows
/// never interact in a recurrence, so the slices need no synchronisation until the end; this replaces hundreds of
/// tiny parallel regions per sequence (one per small op), which stall whenever another process holds a core.
/// </summary>
public static class KernelParallelism
{
    private const int MinRowsPerSlice = 8;
    private static readonly object _gate = new();
    private static readonly List<BlockingCollection<Action>> _workers = [];

    /// <summary>Upper bound on slices; null means the calling thread's torch intra-op thread count.</summary>
    public static int? MaxSlices { get; set; }

    /// <summary>Splits a batch into contiguous (start, length) slices.</summary>
    internal static (long Start, long Length)[] Slices(long batch)
    {
        var wanted = MaxSlices is { } forced ? Math.Min(forced, batch) : Math.Min(torch.get_num_threads(), batch / MinRowsPerSlice);
        var count = (int)Math.Clamp(wanted, 1, 64);

        var slices = new (long, long)[count];
        var start = 0L;
        for (var i = 0; i < count; i++)
        {
            var length = batch / count + (i < batch % count ? 1 : 0);
            slices[i] = (start, length);
            start += length;
        }

        return slices;
    }

    /// <summary>
    /// Slices for the backward loops: the whole batch on the calling thread unless <see cref="MaxSlices"/> asks for more.
    /// Its per-step [B,4H]·[4H,H] matmul ran several times slower on the single-threaded workers than on the caller's
    /// intra-op threads, while the forward's [B,H]·[H,4H] did not.
    /// </summary>
    internal static (long Start, long Length)[] BackwardSlices(long batch) =>
        MaxSlices is null ? [(0, batch)] : Slices(batch);

    /// <summary>Runs body(0..count−1); a single slice runs on the calling thread.</summary>
    internal static void Run(int count, Action<int> body)
    {
        if (count == 1)
        {
            body(0);
            return;
        }

        EnsureWorkers(count);
        using var done = new CountdownEvent(count);
        Exception? error = null;
        for (var i = 0; i < count; i++)
        {
            var slice = i;
            _workers[i].Add(() =>
            {
                try
                {
                    // Grad mode is per thread; the kernels' loops never build a graph.
                    using var noGrad = torch.no_grad();
                    body(slice);
                }
                catch (Exception e)
                {
                    Interlocked.CompareExchange(ref error, e, null);
                }
                finally
                {
                    done.Signal();
                }
            });
        }

        done.Wait();
        if (error is not null)
        {
            throw new InvalidOperationException("A sequence kernel slice failed.", error);
        }
    }

    private static void EnsureWorkers(int count)
    {
        lock (_gate)
        {
            if (_workers.Count >= count)
            {
                return;
            }

            // A worker setting its own thread count also moves libtorch's default for threads not yet started;
            // put it back once the worker is ready.
            var callerThreads = torch.get_num_threads();
            while (_workers.Count < count)
            {
                var queue = new BlockingCollection<Action>();
                using var ready = new ManualResetEventSlim();
                var thread = new Thread(() =>
                {
                    torch.set_num_threads(1);
                    ready.Set();
                    foreach (var work in queue.GetConsumingEnumerable())
                    {
                        work();
                    }
                })
                {
                    IsBackground = true,
                    Name = $"rnnlab-kernel-{_workers.Count}",
                };
                thread.Start();
                ready.Wait();
                _workers.Add(queue);
            }

            torch.set_num_threads(callerThreads);
        }
    }
}
