namespace RnnLab.Tasks.Cloze;

/// <summary>How a cloze task cuts and hides its text (task options <c>length</c>, <c>mask_fraction</c>,
/// <c>max_span</c>, <c>epoch_chars</c>, <c>eval_chars</c>, <c>valid_fraction</c>, <c>test_fraction</c>, <c>data_seed</c>).</summary>
public sealed record ClozeOptions
{
    /// <summary>Symbols per window (one sequence of a batch).</summary>
    public int Length { get; init; } = 64;

    /// <summary>Share of each window that is hidden.</summary>
    public double MaskFraction { get; init; } = 0.15;

    /// <summary>Longest hidden span.</summary>
    public int MaxSpan { get; init; } = 3;

    /// <summary>Training symbols per epoch (0 = the whole training split, in a new order every epoch).</summary>
    public long EpochChars { get; init; }

    /// <summary>Symbols of valid/test evaluated (0 = all).</summary>
    public long EvalChars { get; init; }

    public double ValidFraction { get; init; } = 0.05;

    public double TestFraction { get; init; } = 0.05;

    public long DataSeed { get; init; }

    internal static ClozeOptions From(TaskOptions options) => new()
    {
        Length = options.GetInt("length", 64, min: 2, max: 100_000),
        MaskFraction = options.GetDouble("mask_fraction", 0.15, 0.01, 0.9),
        MaxSpan = options.GetInt("max_span", 3, min: 1, max: 1000),
        EpochChars = options.GetInt("epoch_chars", 0, min: 0),
        EvalChars = options.GetInt("eval_chars", 0, min: 0),
        ValidFraction = options.GetDouble("valid_fraction", 0.05, 0.001, 0.5),
        TestFraction = options.GetDouble("test_fraction", 0.05, 0.001, 0.5),
        DataSeed = options.GetInt("data_seed", 0),
    };
}
