using System.Diagnostics;
using System.Globalization;
using System.Text;
using RnnLab.Tasks;
using RnnLab.Tasks.Text;

namespace RnnLab.Bench;

/// <summary><c>corpus [--mb 500] [--dir DIR] [--keep]</c>: prepares a character language model on a generated
/// C-like corpus (mostly ASCII, some UTF-8 comments, CR LF lines) and reports the memory the prepared task holds
/// beyond the runtime (peak resident set growth, per symbol) and preparation speed next to a plain read of the same
/// file in the same run (the disk speed, from the page cache once the file is written).</summary>
public static class CorpusBench
{
    private static readonly string[] Words =
    [
        "static", "int", "struct", "return", "if", "else", "for", "while", "unsigned", "long", "const", "void",
        "#define", "#include", "sizeof", "NULL", "page", "inode", "lock", "spin_lock", "mutex", "buffer", "len",
        "count", "flags", "dev", "priv", "err", "ret", "kfree", "kmalloc", "GFP_KERNEL", "->", "=", "==", "+", "(", ")",
        "{", "}", ";", ",", "[", "]", "*", "&", "0", "1", "0x7f", "// café au lait", "/* 春眠不觉晓 */", "/* naïve Σ */",
    ];

    public static int Run(string[] args)
    {
        var megabytes = Option(args, "--mb", 500);
        var dir = OptionText(args, "--dir") ?? Path.GetTempPath();
        var path = Path.Combine(dir, $"rnnlab-corpus-{megabytes}mb.txt");
        Console.WriteLine($"corpus: {megabytes} MB generated at {path}; machine: {Environment.ProcessorCount} cores");
        Generate(path, (long)megabytes << 20);
        try
        {
            var bytes = new FileInfo(path).Length;
            var raw = RawRead(path);
            GC.Collect();
            GC.WaitForPendingFinalizers();
            GC.Collect();
            using var process = Process.GetCurrentProcess();
            process.Refresh();
            var before = process.WorkingSet64;
            var peakBefore = process.PeakWorkingSet64;
            var clock = Stopwatch.StartNew();
            var task = (RnnLab.Tasks.Text.CharLanguageTask)TaskCatalog.Create(path);
            var seconds = clock.Elapsed.TotalSeconds;
            process.Refresh();
            var peak = Math.Max(process.PeakWorkingSet64, peakBefore);
            var symbols = (long)task.SplitLength(DataSplit.Train) + task.SplitLength(DataSplit.Valid) + task.SplitLength(DataSplit.Test);
            var growth = Math.Max(0, peak - before);
            var prepared = bytes / 1e6 / seconds;
            Console.WriteLine($"plain read of the file: {raw:F0} MB/s");
            Console.WriteLine($"prepared: {symbols:N0} symbols, {task.Vocabulary.Count} distinct, in {seconds:F1} s; peak resident growth {growth / 1e6:F0} MB");
            GC.KeepAlive(task);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"corpus {bytes / 1e6:F0} MB: {(double)growth / symbols:F2} bytes/symbol, preparation {prepared:F0} MB/s ({prepared / raw:P0} of a plain read at {raw:F0} MB/s)"));
        }
        finally
        {
            if (!args.Contains("--keep"))
            {
                File.Delete(path);
            }
        }

        return 0;
    }

    private static void Generate(string path, long size)
    {
        if (File.Exists(path) && new FileInfo(path).Length >= size)
        {
            return;
        }

        var random = new Random(1);
        using var writer = new StreamWriter(path, false, new UTF8Encoding(false), 1 << 20);
        var line = new StringBuilder();
        long written = 0;
        while (written < size)
        {
            line.Clear();
            line.Append(' ', 4 * random.Next(0, 4));
            for (var w = random.Next(1, 12); w > 0; w--)
            {
                line.Append(Words[random.Next(Words.Length)]).Append(' ');
            }

            line.Append(random.Next(10) == 0 ? "\r\n" : "\n");
            writer.Write(line);
            written += Encoding.UTF8.GetByteCount(line.ToString());
        }
    }

    private static double RawRead(string path)
    {
        var buffer = new byte[1 << 20];
        var clock = Stopwatch.StartNew();
        long total = 0;
        using (var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan))
        {
            int read;
            while ((read = stream.Read(buffer)) > 0)
            {
                total += read;
            }
        }

        return total / 1e6 / clock.Elapsed.TotalSeconds;
    }

    private static double Option(string[] args, string name, double fallback) =>
        OptionText(args, name) is { } text ? double.Parse(text, CultureInfo.InvariantCulture) : fallback;

    private static string? OptionText(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }
}
