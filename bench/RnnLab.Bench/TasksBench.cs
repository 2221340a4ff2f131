using System.Diagnostics;
using System.Globalization;
using RnnLab.Tasks;
using RnnLab.Tasks.Memory;
using RnnLab.Tasks.Music;
using RnnLab.Training;

namespace RnnLab.Bench;

/// <summary><c>tasks [jsb|shakespeare|adding] [--minutes M] [--budget S] [--lengths 10,20,…]</c>: the task
/// benchmarks of docs/benchmarks.md — JSB test NLL of a small lstm and its seconds per epoch (next to the key
/// frequency baseline), tinyshakespeare bits/char after a wall-clock budget with a sample, and the largest adding
/// problem length each of rnn-tanh, lstm and gru solves within a per-length budget.</summary>
public static class TasksBench
{
    public static int Run(string[] args)
    {
        var which = args.FirstOrDefault(a => !a.StartsWith("--", StringComparison.Ordinal)) ?? "all";
        var minutes = Option(args, "--minutes", 3.0);
        var budget = Option(args, "--budget", 40.0);
        var lengths = (OptionText(args, "--lengths") ?? "10,20,40,80,160").Split(',').Select(int.Parse).ToArray();
        var threads = (int)Option(args, "--threads", 1);
        Console.WriteLine($"threads per run: {threads}; machine: {Environment.ProcessorCount} cores");
        if (which is "all" or "jsb")
        {
            Jsb(threads);
        }

        if (which is "all" or "shakespeare")
        {
            Shakespeare(minutes, threads);
        }

        if (which is "all" or "adding")
        {
            Adding(budget, lengths, threads);
        }

        return 0;
    }

    private static void Jsb(int threads)
    {
        var config = new TrialConfig
        {
            Task = "jsb-chorales", Cell = "lstm", Hidden = 64, Batch = 8, Lr = 0.01, Epochs = 40, Patience = 6,
            LrPatience = 2, LrDecay = 0.5, Seed = 1, Threads = threads,
        };
        var task = TaskCatalog.Create("jsb-chorales");
        var seconds = new List<double>();
        var result = new TrialRunner().Run(config, new TrialRunOptions { Task = task, OnEpoch = r => Keep(seconds, r.Seconds) });
        Console.WriteLine();
        Console.WriteLine("JSB Chorales (frame NLL, nats)");
        Console.WriteLine("| model | epochs (best) | valid NLL | test NLL | s/epoch |");
        Console.WriteLine("|---|---|---|---|---|");
        Console.WriteLine($"| key frequencies (Laplace) | – | {F(FrequencyNll(((PolyphonicMusicTask)task).Roll, DataSplit.Valid))} | {F(FrequencyNll(((PolyphonicMusicTask)task).Roll, DataSplit.Test))} | – |");
        Console.WriteLine($"| lstm h=64, adam 0.01, batch 8, patience 6 | {result.EpochsRun} ({result.BestEpoch}) | {F(result.Metrics["valid.nll"])} | {F(result.Metrics["test.nll"])} | {seconds.Average():F2} |");
    }

    private static void Shakespeare(double minutes, int threads)
    {
        var config = new TrialConfig
        {
            Task = "tinyshakespeare", TaskOptions = Options(("epoch_chars", "200000")), Cell = "lstm", Hidden = 128,
            Batch = 32, Bptt = 100, Lr = 0.005, Clip = 5, Epochs = 1000, Patience = 0, LrPatience = 3, Seed = 1, Threads = threads,
        };
        var clock = Stopwatch.StartNew();
        TrialCheckpoint? last = null;
        var result = new TrialRunner().Run(config, new TrialRunOptions
        {
            CheckpointEvery = 0,
            CheckpointSink = c => last = c,
            OnEpoch = _ => clock.Elapsed.TotalMinutes >= minutes ? EpochDecision.Stop : EpochDecision.Continue,
        });
        using var model = TrainedModel.Load(new MemoryStream(last!.Bytes.ToArray()));
        var sample = TextSampler.From(model).Sample("ROMEO:", 400, 0.8, seed: 1);
        Console.WriteLine();
        Console.WriteLine($"tinyshakespeare, lstm h=128, batch 32 × bptt 100, adam 0.005, clip 5, budget {minutes} min");
        Console.WriteLine($"epochs of 200k chars: {result.EpochsRun}; wall {clock.Elapsed.TotalSeconds:F0} s; valid bits/char {F(result.Metrics["valid.bpc"])}; test bits/char {F(result.Metrics["test.bpc"])}");
        Console.WriteLine("sample (prefix \"ROMEO:\", temperature 0.8, seed 1):");
        Console.WriteLine("```");
        Console.WriteLine("ROMEO:" + sample);
        Console.WriteLine("```");
    }

    private static void Adding(double budget, int[] lengths, int threads)
    {
        // Solved = test MSE below 5 % of the answer-1.0 baseline.
        const double solved = 0.05 * AddingTask.Baseline;
        Console.WriteLine();
        Console.WriteLine($"adding problem: hidden 32, adam 0.01, batch 16, forget bias 1, 2000 new sequences per epoch, budget {budget:F0} s per length; solved = test MSE < {solved:F4}");
        Console.WriteLine("| cell | largest T solved | runs (T: test MSE, seconds) |");
        Console.WriteLine("|---|---|---|");
        foreach (var cell in new[] { "rnn-tanh", "lstm", "gru" })
        {
            var largest = 0;
            var runs = new List<string>();
            foreach (var length in lengths)
            {
                var config = new TrialConfig
                {
                    Task = "adding", TaskOptions = Options(("length", $"{length}"), ("train_size", "2000"), ("eval_size", "500")),
                    Cell = cell, Hidden = 32, Batch = 16, Lr = 0.01, ForgetBias = 1, Epochs = 1000, Patience = 0, Seed = 1, Threads = threads,
                };
                var clock = Stopwatch.StartNew();
                var result = new TrialRunner().Run(config, new TrialRunOptions
                {
                    OnEpoch = r => clock.Elapsed.TotalSeconds >= budget || r.Metrics["valid.mse"] < solved / 4 ? EpochDecision.Stop : EpochDecision.Continue,
                });
                var mse = result.Metrics.GetValueOrDefault("test.mse", double.NaN);
                runs.Add($"{length}: {mse:F4}, {clock.Elapsed.TotalSeconds:F0}");
                if (!(mse < solved))
                {
                    break;
                }

                largest = length;
            }

            Console.WriteLine($"| {cell} | {(largest == 0 ? $"< {lengths[0]}" : largest.ToString(CultureInfo.InvariantCulture))} | {string.Join("; ", runs)} |");
        }
    }

    private static double FrequencyNll(PianoRoll roll, DataSplit split)
    {
        var counts = new double[PianoRoll.Keys];
        var frames = 0;
        foreach (var frame in roll.Train.SelectMany(s => s))
        {
            frames++;
            foreach (var key in frame)
            {
                counts[key]++;
            }
        }

        var p = counts.Select(c => (c + 1) / (frames + 2)).ToArray();
        var total = 0.0;
        var n = 0;
        foreach (var frame in roll.Split(split).SelectMany(s => s))
        {
            n++;
            for (var k = 0; k < PianoRoll.Keys; k++)
            {
                total -= frame.Contains(k) ? Math.Log(p[k]) : Math.Log(1 - p[k]);
            }
        }

        return total / n;
    }

    private static EpochDecision Keep(List<double> seconds, double value)
    {
        seconds.Add(value);
        return EpochDecision.Continue;
    }

    private static System.Collections.Immutable.ImmutableSortedDictionary<string, string> Options(params (string Key, string Value)[] pairs) =>
        System.Collections.Immutable.ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, pairs.Select(p => KeyValuePair.Create(p.Key, p.Value)));

    private static double Option(string[] args, string name, double fallback) =>
        OptionText(args, name) is { } text ? double.Parse(text, CultureInfo.InvariantCulture) : fallback;

    private static string? OptionText(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }

    private static string F(double value) => value.ToString("F3", CultureInfo.InvariantCulture);
}
