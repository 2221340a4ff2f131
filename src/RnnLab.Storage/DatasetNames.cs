using System.Text.RegularExpressions;

namespace RnnLab.Storage;

/// <summary>How datasets are named in specs: <c>sha256:HEX</c> pins content, <c>dataset:NAME</c> a registered name.</summary>
public static partial class DatasetNames
{
    public const string HashPrefix = "sha256:";
    public const string NamePrefix = "dataset:";
    public const int MaxLength = 64;

    /// <summary>The formats a dataset can have: polyphonic music (Boulanger-Lewandowski JSON) or UTF-8 text.</summary>
    public static readonly IReadOnlyList<string> Formats = ["music", "text"];

    public static bool IsReference(string task) =>
        task.StartsWith(HashPrefix, StringComparison.Ordinal) || task.StartsWith(NamePrefix, StringComparison.Ordinal);

    public static bool IsValidName(string name) => NamePattern().IsMatch(name);

    public static bool IsValidHash(string hex) => HashPattern().IsMatch(hex);

    /// <summary>The format a file name implies: .json is music, anything else text.</summary>
    public static string FormatOf(string fileName) =>
        Path.GetExtension(fileName).Equals(".json", StringComparison.OrdinalIgnoreCase) ? "music" : "text";

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")]
    private static partial Regex NamePattern();

    [GeneratedRegex("^[0-9a-f]{64}$")]
    private static partial Regex HashPattern();
}
