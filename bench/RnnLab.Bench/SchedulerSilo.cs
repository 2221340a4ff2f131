using System.Diagnostics;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Runtime;
using RnnLab.Grains;
using RnnLab.Grains.Hosting;
using RnnLab.Storage;

namespace RnnLab.Bench;

/// <summary>
/// The scheduler grain in a silo of its own (api role: no worker slots of its own, a throw-away SQLite file as the
/// store, which the scheduler reads only when it activates), driven by simulated workers: each asks for its slots,
/// ends the zero-length trials at once (a one-way release, as a trial grain does) and has their sweeps queue as many
/// new ones, then asks again. Each sweep refills in batches, every few milliseconds, with as many trials as finished
/// since its last refill, as a sweep's fill loop does. With shards, the schedulers 0..shards-1 each serve the
/// sweeps and the workers whose index falls to them.
/// </summary>
internal sealed class SchedulerSilo : IAsyncDisposable
{
    private readonly IHost _host;
    private readonly DirectoryInfo _directory;
    private Guid[] _sweeps = [];

    private SchedulerSilo(IHost host, DirectoryInfo directory)
    {
        _host = host;
        _directory = directory;
    }

    private IGrainFactory Grains => _host.Services.GetRequiredService<IGrainFactory>();

    private static readonly TimeSpan RefillPeriod = TimeSpan.FromMilliseconds(5);

    private ISchedulerGrain Scheduler(int shard) => Grains.GetGrain<ISchedulerGrain>(shard);

    private ISchedulerCallbacks Callbacks(int shard) => Grains.GetGrain<ISchedulerCallbacks>(shard);

    public static async Task<SchedulerSilo> StartAsync()
    {
        var directory = Directory.CreateTempSubdirectory("rnnlab-scheduler-bench");
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        var port = 23_000 + Random.Shared.Next(0, 1000) * 2;
        builder.UseOrleans(silo =>
        {
            silo.UseLocalhostClustering(port, port + 1, new IPEndPoint(IPAddress.Loopback, port));
            silo.AddRnnLab(new OrchestrationOptions
            {
                Role = SiloRole.Api,
                Storage = new StorageOptions
                {
                    Provider = StorageProvider.Sqlite,
                    ConnectionString = $"Data Source={Path.Combine(directory.FullName, "scheduler.db")}",
                },
            });
        });
        var host = builder.Build();
        await host.StartAsync();
        return new SchedulerSilo(host, directory);
    }

    /// <summary>Runs <paramref name="workers"/> simulated workers for a warm-up and then <paramref name="duration"/>.</summary>
    public async Task<SchedulerRun> RunAsync(int workers, int slots, int sweeps, int shards, TimeSpan warmUp, TimeSpan duration)
    {
        for (var i = 0; i < _sweeps.Length; i++)
        {
            await Callbacks(i % shards).Withdraw(_sweeps[i], cancelRunning: false);
        }

        _sweeps = Enumerable.Range(0, sweeps).Select(_ => Guid.NewGuid()).ToArray();
        var shardOf = _sweeps.Select((id, i) => (id, i)).ToDictionary(p => p.id, p => p.i % shards);
        var perSweep = 2 * workers * slots / sweeps + 1;
        foreach (var sweep in _sweeps)
        {
            await Callbacks(shardOf[sweep]).Enqueue(sweep, NewTrials(perSweep));
        }

        var silo = _host.Services.GetRequiredService<ILocalSiloDetails>().SiloAddress;
        var finished = new long[sweeps];
        var index = _sweeps.Select((id, i) => (id, i)).ToDictionary(p => p.id, p => p.i);
        using var stop = new CancellationTokenSource();
        var measuring = new StrongBox(false);
        var latencies = new List<double>[workers];
        var loops = Enumerable.Range(0, workers)
            .Select(w => Task.Run(() => WorkerLoopAsync(new WorkerIdentity($"sim-worker-{w}", silo), w % shards, slots, latencies[w] = [],
                assignment => Interlocked.Increment(ref finished[index[assignment.SweepId]]), measuring, stop.Token)))
            .Concat(Enumerable.Range(0, sweeps).Select(i => Task.Run(() => RefillLoopAsync(_sweeps[i], shardOf[_sweeps[i]], () => Interlocked.Exchange(ref finished[i], 0), stop.Token))))
            .ToList();
        await Task.Delay(warmUp);
        var before = await GrantedAsync(shards);
        var clock = Stopwatch.StartNew();
        measuring.Value = true;
        await Task.Delay(duration);
        measuring.Value = false;
        var after = await GrantedAsync(shards);
        var elapsed = clock.Elapsed;
        await stop.CancelAsync();
        await Task.WhenAll(loops);
        return SchedulerRun.From(workers, after - before, elapsed, latencies.SelectMany(l => l).ToList());
    }

    public async Task<SchedulerStats> StatsAsync() => await Scheduler(0).GetStats();

    private async Task<long> GrantedAsync(int shards)
    {
        long granted = 0;
        for (var shard = 0; shard < shards; shard++)
        {
            granted += (await Scheduler(shard).GetStats()).LeasesGranted;
        }

        return granted;
    }

    private async Task WorkerLoopAsync(WorkerIdentity worker, int shard, int slots, List<double> latencies, Action<TrialAssignment> finished,
        StrongBox measuring, CancellationToken stop)
    {
        var scheduler = Scheduler(shard);
        var callbacks = Callbacks(shard);
        while (!stop.IsCancellationRequested)
        {
            var asked = Stopwatch.GetTimestamp();
            var granted = await scheduler.Lease(worker, slots, TimeSpan.FromSeconds(1));
            if (measuring.Value)
            {
                latencies.Add(Stopwatch.GetElapsedTime(asked).TotalMilliseconds);
            }

            foreach (var assignment in granted)
            {
                await callbacks.ReleaseFinished(assignment.TrialId, worker.WorkerId);
                finished(assignment);
            }
        }
    }

    private async Task RefillLoopAsync(Guid sweep, int shard, Func<long> takeFinished, CancellationToken stop)
    {
        var callbacks = Callbacks(shard);
        while (!stop.IsCancellationRequested)
        {
            await Task.Delay(RefillPeriod, CancellationToken.None);
            if (takeFinished() is var count and > 0)
            {
                await callbacks.Enqueue(sweep, NewTrials((int)count));
            }
        }
    }

    private static List<QueuedTrial> NewTrials(int count) =>
        Enumerable.Range(0, count).Select(i => new QueuedTrial(Guid.NewGuid(), i)).ToList();

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
        _directory.Delete(recursive: true);
    }

    /// <summary>A flag the worker loops read while the bench flips it.</summary>
    private sealed class StrongBox(bool value)
    {
        public volatile bool Value = value;
    }
}
