using System.Diagnostics;
using RnnLab.Models;
using RnnLab.Models.Cells;
using TorchSharp;
using static TorchSharp.torch;

namespace RnnLab.Bench;

/// <summary>`cells --profile a,b`: splits one training step of the named cells into forward and backward time.</summary>
internal static class CellsProfile
{
    public static void Run(IReadOnlyList<string> cells, int rounds, long steps, long batch, int inputs, int hidden)
    {
        var x = randn(steps, batch, inputs);
        var lstm = nn.LSTM(inputs, hidden);
        var entries = new List<(string Name, Func<Tensor> Forward, nn.Module Module)> { ("nn.LSTM", () => lstm.forward(x).Item1, lstm) };
        foreach (var name in cells)
        {
            var cell = CellFactory.Create(name, new CellOptions(inputs, hidden));
            entries.Add((name, () => cell.Run(x, null, null).Output, cell));
        }

        var times = entries.ToDictionary(e => e.Name, _ => (Eval: new List<double>(), Fwd: new List<double>(), Bwd: new List<double>()));
        for (var r = 0; r < rounds + 1; r++)
        {
            foreach (var (name, forward, module) in entries)
            {
                using var scope = NewDisposeScope();
                var watch = Stopwatch.StartNew();
                using (no_grad())
                {
                    forward();
                }

                var eval = watch.Elapsed.TotalMilliseconds;
                watch.Restart();
                var loss = forward().square().mean();
                var fwd = watch.Elapsed.TotalMilliseconds;
                watch.Restart();
                loss.backward();
                var bwd = watch.Elapsed.TotalMilliseconds;
                module.zero_grad();
                if (r > 0)
                {
                    times[name].Eval.Add(eval);
                    times[name].Fwd.Add(fwd);
                    times[name].Bwd.Add(bwd);
                }
            }
        }

        Console.WriteLine("| cell | forward no-grad ms | forward ms | backward ms |");
        Console.WriteLine("|---|---:|---:|---:|");
        foreach (var (name, t) in times)
        {
            Console.WriteLine($"| {name} | {t.Eval.Min():F1} | {t.Fwd.Min():F1} | {t.Bwd.Min():F1} |");
        }
    }
}
