namespace RnnLab.Sweeps.Spec;

/// <summary>Upper bounds that keep one spec from exhausting a cluster.</summary>
public static class SpecLimits
{
    public const int MaxTextLength = 1_000_000;
    public const int MaxNodes = 100_000;

    /// <summary>How deeply mappings and lists may nest; checked while reading, before any recursive step.</summary>
    public const int MaxDepth = 64;
    public const int MaxTrials = 100_000;
    public const int MaxParallelism = 1_024;
    public const int MaxRetries = 10;
    public const int MaxChoices = 1_000;
    public const int MaxGridResolution = 1_000;
    public static readonly TimeSpan MaxTimeLimit = TimeSpan.FromDays(30);

    /// <summary>Task options that are sequence lengths, bounded like bptt.</summary>
    public static readonly string[] SequenceLengthOptions = ["length", "seq_len", "sequence_length", "max_length"];
}
