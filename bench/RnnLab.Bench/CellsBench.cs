using System.Diagnostics;
using RnnLab.Models;
using RnnLab.CellGraphs;
using RnnLab.Models.Cells;
using RnnLab.Models.Kernels;
using RnnLab.Models.Graphs;
using TorchSharp;
using static TorchSharp.torch;

namespace RnnLab.Bench;

/// <summary>
/// `cells`: forward + backward + SGD step of one recurrent layer per cell on batch 32 × 100 steps × 88 inputs,
/// hidden 256, against libtorch's own nn.LSTM / nn.GRU / nn.RNN, timed in interleaved rounds in one run.
/// `--batch 1 --steps 60 --hidden 50` gives the Odyssey's shape (online SGD on JSB: one sequence of about 60 steps,
/// 20–200 blocks), where per-step overhead rather than arithmetic decides the time.
/// Rows graph:NAME run the built-in cell compiled from its graph (its step program), compared with its hand-written
/// twin, and graph-steps:NAME the same graph evaluated node by node each step, the program's baseline
/// (`--graphs lstm,gru` by default; `--graphs none` leaves them out).
/// </summary>
internal static class CellsBench
{
    private const int Inputs = 88;
    private static int Batch = 32;
    private static int Steps = 100;
    private static int Hidden = 256;

    public static int Run(string[] args)
    {
        Batch = ArgValue(args, "--batch", 32);
        Steps = ArgValue(args, "--steps", 100);
        Hidden = ArgValue(args, "--hidden", 256);
        var rounds = ArgValue(args, "--rounds", 7);
        var threads = ArgValue(args, "--threads", 2);
        var only = args.SkipWhile(a => a != "--cells").Skip(1).FirstOrDefault()?.Split(',');
        set_num_threads(threads);
        var slices = ArgValue(args, "--slices", 0);
        if (slices > 0)
        {
            KernelParallelism.MaxSlices = slices;
        }

        // The largest batch × hidden whose step loops run in managed code (0: always the tensor-op loops).
        ManagedStepLoops.MaxBatchUnits = ArgValue(args, "--managed-max-units", ManagedStepLoops.MaxBatchUnits);

        manual_seed(1);
        var profile = args.SkipWhile(a => a != "--profile").Skip(1).FirstOrDefault();
        if (profile is not null)
        {
            CellsProfile.Run(profile.Split(','), rounds, Steps, Batch, Inputs, Hidden);
            return 0;
        }

        Console.WriteLine($"cells bench: batch {Batch} x {Steps} steps x {Inputs} inputs, hidden {Hidden}, fwd+bwd+SGD step, " +
                          $"{threads} threads, {rounds} rounds (median), managed step loops up to batch x hidden {ManagedStepLoops.MaxBatchUnits}");

        var x = randn(Steps, Batch, Inputs);
        var cases = new List<CellsBenchCase> { Native("nn.LSTM"), Native("nn.GRU"), Native("nn.RNN") };
        cases.AddRange(CellNames.All.Where(c => only is null || only.Contains(c)).Select(Cell));
        var graphs = (args.SkipWhile(a => a != "--graphs").Skip(1).FirstOrDefault() ?? "lstm,gru").Split(',');
        foreach (var g in graphs.Where(BuiltinCellGraphs.Contains))
        {
            if (cases.All(c => c.Name != g))
            {
                cases.Add(Cell(g));
            }

            cases.Add(Graph(g, stepwise: true));
            cases.Add(Graph(g, stepwise: false));
        }

        foreach (var c in cases)
        {
            c.Step(x);
            c.Step(x);
        }

        for (var r = 0; r < rounds; r++)
        {
            foreach (var c in cases)
            {
                var watch = Stopwatch.StartNew();
                c.Step(x);
                c.Milliseconds.Add(watch.Elapsed.TotalMilliseconds);
            }
        }

        var peak = MatmulPeak();
        Print(cases, peak);
        return 0;
    }

    private static CellsBenchCase Native(string name)
    {
        nn.Module module;
        Func<Tensor, Tensor> forward;
        switch (name)
        {
            case "nn.LSTM":
                var lstm = nn.LSTM(Inputs, Hidden);
                (module, forward) = (lstm, t => lstm.forward(t).Item1);
                break;
            case "nn.GRU":
                var gru = nn.GRU(Inputs, Hidden);
                (module, forward) = (gru, t => gru.forward(t).Item1);
                break;
            default:
                var rnn = nn.RNN(Inputs, Hidden);
                (module, forward) = (rnn, t => rnn.forward(t, null).Item1);
                break;
        }

        return new CellsBenchCase(name, "", module, forward, optim.SGD(module.parameters(), 1e-3));
    }

    private static CellsBenchCase Cell(string name)
    {
        var cell = CellFactory.Create(name, new CellOptions(Inputs, Hidden));
        var baseline = name switch
        {
            CellNames.Gru => "nn.GRU",
            CellNames.RnnTanh => "nn.RNN",
            _ => "nn.LSTM",
        };
        return new CellsBenchCase(name, baseline, cell, t => cell.Run(t, null, null).Output, optim.SGD(cell.parameters(), 1e-3));
    }

    // stepwise: the plain per-step evaluation of the graph (the reference the compiled step program is tested against).
    private static CellsBenchCase Graph(string name, bool stepwise)
    {
        var cell = new GraphCell(BuiltinCellGraphs.Get(name), new CellOptions(Inputs, Hidden)) { UseKernel = !stepwise };
        return new CellsBenchCase((stepwise ? "graph-steps:" : "graph:") + name, name, cell, t => cell.Run(t, null, null).Output, optim.SGD(cell.parameters(), 1e-3));
    }

    /// <summary>GFLOP/s of a large square sgemm on the same threads: the machine's practical matmul peak.</summary>
    private static double MatmulPeak()
    {
        const int n = 2048;
        using var scope = NewDisposeScope();
        var a = randn(n, n);
        var b = randn(n, n);
        a.mm(b);
        var best = double.MaxValue;
        for (var i = 0; i < 5; i++)
        {
            var watch = Stopwatch.StartNew();
            a.mm(b).Dispose();
            best = Math.Min(best, watch.Elapsed.TotalSeconds);
        }

        return 2.0 * n * n * n / best / 1e9;
    }

    private static void Print(List<CellsBenchCase> cases, double peak)
    {
        static double Median(List<double> v)
        {
            var s = v.Order().ToArray();
            return s.Length % 2 == 1 ? s[s.Length / 2] : (s[s.Length / 2 - 1] + s[s.Length / 2]) / 2;
        }

        var ms = cases.ToDictionary(c => c.Name, c => Median(c.Milliseconds));
        var gflops = cases.ToDictionary(c => c.Name, c => c.Flops(Steps, Batch) / (ms[c.Name] / 1e3) / 1e9);
        var nativeLstm = gflops["nn.LSTM"];
        Console.WriteLine($"matmul peak (sgemm {2048}^3): {peak:F1} GFLOP/s");
        Console.WriteLine();
        Console.WriteLine("| cell | ms/step | speed vs native | native | GFLOP/step | GFLOP/s | of peak | GFLOP/s ÷ nn.LSTM |");
        Console.WriteLine("|---|---:|---:|---|---:|---:|---:|---:|");
        foreach (var c in cases)
        {
            var speed = c.Baseline == "" ? "" : $"{ms[c.Baseline] / ms[c.Name]:F2}x";
            Console.WriteLine(
                $"| {c.Name} | {ms[c.Name]:F2} | {speed} | {(c.Baseline == "" ? "(itself)" : c.Baseline)} | {c.Flops(Steps, Batch) / 1e9:F2} | " +
                $"{gflops[c.Name]:F1} | {gflops[c.Name] / peak:P0} | {gflops[c.Name] / nativeLstm:F2} |");
        }

        var slowest = cases.Where(c => c.Baseline != "").MinBy(c => gflops[c.Name])!;
        Console.WriteLine();
        Console.WriteLine($"slowest: {slowest.Name} {gflops[slowest.Name] / nativeLstm:F2}x native");
    }

    private static int ArgValue(string[] args, string name, int fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length && int.TryParse(args[i + 1], out var v) ? v : fallback;
    }
}
