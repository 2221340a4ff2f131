namespace RnnLab.Sweeps.Parameters;

/// <summary>The recurrent cells a sweep may name (kept apart from RnnLab.Models on purpose: Sweeps is pure).</summary>
public static class CellNames
{
    public const string Lstm = "lstm";

    public static IReadOnlyList<string> All { get; } =
    [
        "rnn-tanh", "lstm", "lstm-nig", "lstm-nfg", "lstm-nog", "lstm-niaf", "lstm-noaf", "lstm-np",
        "lstm-cifg", "lstm-fgr", "gru", "mut1", "mut2", "mut3",
    ];

    /// <summary>Cells with a forget gate bias to set (NFG has no forget gate; CIFG derives it from the input gate).</summary>
    public static IReadOnlyList<string> LstmFamily { get; } =
        ["lstm", "lstm-nig", "lstm-nog", "lstm-niaf", "lstm-noaf", "lstm-np", "lstm-cifg", "lstm-fgr"];
}
