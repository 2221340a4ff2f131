namespace RnnLab.Tasks.Data;

/// <summary>Which files trials may read: the "Data" configuration section.</summary>
public sealed class DataOptions
{
    public const string Section = "Data";

    /// <summary>Folders under which a spec may name server-side files; empty (the default) refuses every server path.</summary>
    public List<string> Roots { get; set; } = [];

    /// <summary>The largest dataset accepted, uploaded or read from a root (256 MiB by default).</summary>
    public long MaxBytes { get; set; } = 256L * 1024 * 1024;

    /// <summary>Any local path may be read: only for the embedded <c>rnnlab run</c>, where the user is on their own machine.</summary>
    public bool AllowLocalPaths { get; set; }

    /// <summary>Where workers keep datasets fetched from the database; null → the user's local data folder.</summary>
    public string? CacheDirectory { get; set; }
}
