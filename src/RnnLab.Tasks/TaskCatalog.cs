using RnnLab.Tasks.Cloze;
using RnnLab.Tasks.Data;
using RnnLab.Tasks.Memory;
using RnnLab.Tasks.Music;
using RnnLab.Tasks.Text;

namespace RnnLab.Tasks;

/// <summary>Creates a task from a built-in name or a file path plus string options.
/// Built-in: <c>jsb-chorales</c>, <c>tinyshakespeare</c>, <c>adding</c>, <c>copy</c>, <c>cloze</c> (on
/// tinyshakespeare), <c>translate</c> (a generated parallel corpus); a <c>.json</c> path is polyphonic music, a
/// <c>.tsv</c> path a parallel corpus to translate, <c>cloze:PATH</c> fill-in-the-blank on a UTF-8 text, any other
/// path a UTF-8 text for a character language model.</summary>
public static class TaskCatalog
{
    public static IReadOnlyList<string> BuiltInNames { get; } = ["jsb-chorales", "tinyshakespeare", "adding", "copy", "cloze", "translate"];

    /// <param name="dataDirectory">Where built-in datasets are looked for first; null → <c>RNNLAB_DATA_DIR</c>.</param>
    public static ITask Create(string nameOrPath, IReadOnlyDictionary<string, string>? options = null, string? dataDirectory = null) =>
        Create(nameOrPath, options, new DatasetLocator(dataDirectory));

    public static ITask Create(string nameOrPath, IReadOnlyDictionary<string, string>? options, DatasetLocator locator)
    {
        if (string.IsNullOrWhiteSpace(nameOrPath))
        {
            throw new ArgumentException($"task is empty; use one of {string.Join(", ", BuiltInNames)} or a path to a .json music file or a text file");
        }

        var opts = new TaskOptions(options);
        ITask task = nameOrPath switch
        {
            "jsb-chorales" => new PolyphonicMusicTask(nameOrPath, PianoRollReader.Read(locator.Locate(KnownDatasets.JsbChorales))),
            "tinyshakespeare" => Text(nameOrPath, locator.Locate(KnownDatasets.TinyShakespeare), opts),
            "adding" => new AddingTask(nameOrPath, opts.GetInt("length", 50, min: 2), Splits(opts, 10_000)),
            "copy" => new CopyMemoryTask(nameOrPath, opts.GetInt("length", 50, min: 1), opts.GetInt("symbols", 10, min: 1), Splits(opts, 10_000)),
            "cloze" => new ClozeTask(nameOrPath, Read(locator.Locate(KnownDatasets.TinyShakespeare)), ClozeOptions.From(opts)),
            "translate" => Translation.TranslationCatalog.Generated(nameOrPath, opts),
            _ when nameOrPath.StartsWith(ClozePrefix, StringComparison.Ordinal) => Cloze(nameOrPath, opts),
            _ when File.Exists(nameOrPath) => FromFile(nameOrPath, opts),
            _ => throw new ArgumentException(
                $"unknown task '{nameOrPath}': not a built-in task ({string.Join(", ", BuiltInNames)}) and no such file"),
        };
        opts.EnsureAllKnown(nameOrPath);
        return task;
    }

    /// <summary>The prefix that makes a text file a fill-in-the-blank task: <c>cloze:PATH</c>.</summary>
    public const string ClozePrefix = "cloze:";

    private static ITask FromFile(string path, TaskOptions options) => Path.GetExtension(path).ToLowerInvariant() switch
    {
        ".json" => new PolyphonicMusicTask(path, PianoRollReader.Read(path)),
        ".tsv" => Translation.TranslationCatalog.FromFile(path, options),
        _ => Text(path, path, options),
    };

    private static ClozeTask Cloze(string name, TaskOptions options)
    {
        var path = name[ClozePrefix.Length..];
        if (!File.Exists(path))
        {
            throw new ArgumentException($"task '{name}': no such text file '{path}'");
        }

        return new ClozeTask(name, Read(path), ClozeOptions.From(options));
    }

    private static EncodedCorpus Read(string path) => EncodedCorpus.Read(path);

    private static CharLanguageTask Text(string name, string path, TaskOptions options)
    {
        return new CharLanguageTask(
            name,
            Read(path),
            options.GetDouble("valid_fraction", 0.05, 0, 0.5),
            options.GetDouble("test_fraction", 0.05, 0, 0.5),
            options.GetInt("epoch_chars", 0, min: 0));
    }

    private static GeneratedSplits Splits(TaskOptions options, int trainSize) => new(
        options.GetInt("train_size", trainSize, min: 1),
        options.GetInt("eval_size", 1000, min: 1),
        options.GetInt("data_seed", 0));
}
