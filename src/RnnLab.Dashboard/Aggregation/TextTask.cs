using RnnLab.Sweeps.Parameters;
using RnnLab.Sweeps.Spec;

namespace RnnLab.Dashboard.Aggregation;

/// <summary>Which sweeps train a character language model, whose trials can write text, or a translation model,
/// whose trials can translate.</summary>
public static class TextTask
{
    // The built-in tasks that are not text; everything else that names a file is, except .json music.
    private static readonly HashSet<string> OtherBuiltIns = new(StringComparer.Ordinal) { "jsb-chorales", "adding", "copy", "cloze", "translate" };

    /// <summary>The task of a sweep's spec text, or null when the spec no longer parses.</summary>
    public static string? Of(string specText) => SweepSpec.Parse(specText).Spec?.Task.Name;

    /// <summary>tinyshakespeare, or a path to a text file (a directory or an extension, not .json).</summary>
    public static bool IsText(string? task) =>
        task == "tinyshakespeare" ||
        (task is not null && !OtherBuiltIns.Contains(task) && TaskShapes.Of(task) == TaskShape.NextStep &&
         (task.Contains('/') || task.Contains('\\') || Path.HasExtension(task)) &&
         !Path.GetExtension(task).Equals(".json", StringComparison.OrdinalIgnoreCase));

    /// <summary>translate, or a path to a .tsv parallel corpus.</summary>
    public static bool IsTranslation(string? task) => task is not null && TaskShapes.Of(task) == TaskShape.SequenceToSequence;
}
