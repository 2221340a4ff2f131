using System.Diagnostics;
using RnnLab.Grains;
using RnnLab.Grains.Scheduling;

namespace RnnLab.Bench;

/// <summary>
/// The lease book alone, on one thread: every worker in turn ends the zero-length trials it holds (each sweep queues
/// one new trial per finished one, as a sweep refills to its parallelism) and leases its slots full again. The
/// leases of lost silos are checked as often as the scheduler's timer would.
/// </summary>
internal static class SchedulerBookSimulation
{
    public static SchedulerRun Run(int workers, int slots, int sweeps, TimeSpan duration)
    {
        var leaseDuration = TimeSpan.FromSeconds(30);
        var book = new LeaseBook(leaseDuration);
        var sweepIds = Enumerable.Range(0, sweeps).Select(_ => Guid.NewGuid()).ToArray();
        // Deep enough that every slot finds a trial: the slots' share plus as many again queued.
        var perSweep = 2 * workers * slots / sweeps + 1;
        foreach (var sweep in sweepIds)
        {
            book.Enqueue(sweep, NewTrials(perSweep));
        }

        var ids = Enumerable.Range(0, workers).Select(w => $"worker-{w}").ToArray();
        var held = new List<TrialAssignment>[workers];
        var latencies = new List<double>();
        var noneDead = new HashSet<string>();
        var checkEvery = leaseDuration / 6;
        var clock = Stopwatch.StartNew();
        var nextCheck = checkEvery;
        long grants = 0;
        while (clock.Elapsed < duration)
        {
            for (var w = 0; w < workers; w++)
            {
                if (held[w] is { } finished)
                {
                    foreach (var assignment in finished)
                    {
                        book.Release(assignment.TrialId, ids[w]);
                        book.Enqueue(assignment.SweepId, NewTrials(1));
                    }
                }

                var asked = Stopwatch.GetTimestamp();
                held[w] = book.Grant(ids[w], ids[w], slots, DateTime.UtcNow);
                latencies.Add(Stopwatch.GetElapsedTime(asked).TotalMilliseconds);
                grants += held[w].Count;
            }

            if (clock.Elapsed >= nextCheck)
            {
                book.Expire(DateTime.UtcNow, noneDead.Contains);
                nextCheck = clock.Elapsed + checkEvery;
            }
        }

        return SchedulerRun.From(workers, grants, clock.Elapsed, latencies);
    }

    private static List<QueuedTrial> NewTrials(int count) =>
        Enumerable.Range(0, count).Select(i => new QueuedTrial(Guid.NewGuid(), i)).ToList();
}
