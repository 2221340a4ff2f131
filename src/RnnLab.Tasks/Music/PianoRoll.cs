namespace RnnLab.Tasks.Music;

/// <summary>Polyphonic music in the Boulanger-Lewandowski format: per split, sequences of frames, each frame the
/// keys sounding (0–87, i.e. MIDI note − 21).</summary>
public sealed record PianoRoll(
    IReadOnlyList<IReadOnlyList<int[]>> Train,
    IReadOnlyList<IReadOnlyList<int[]>> Valid,
    IReadOnlyList<IReadOnlyList<int[]>> Test)
{
    public const int Keys = 88;
    public const int LowestNote = 21;

    public IReadOnlyList<IReadOnlyList<int[]>> Split(DataSplit split) => split switch
    {
        DataSplit.Train => Train,
        DataSplit.Valid => Valid,
        DataSplit.Test => Test,
        _ => throw new ArgumentOutOfRangeException(nameof(split)),
    };

    public static long Frames(IReadOnlyList<IReadOnlyList<int[]>> sequences) => sequences.Sum(s => (long)s.Count);
}
