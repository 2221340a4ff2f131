namespace RnnLab.CellGraphs;

/// <summary>The names of the built-in recurrent cells, the one list the models, the specs and the graphs share.</summary>
public static class CellNames
{
    public const string RnnTanh = "rnn-tanh";
    public const string Lstm = "lstm";
    public const string LstmNig = "lstm-nig";
    public const string LstmNfg = "lstm-nfg";
    public const string LstmNog = "lstm-nog";
    public const string LstmNiaf = "lstm-niaf";
    public const string LstmNoaf = "lstm-noaf";
    public const string LstmNp = "lstm-np";
    public const string LstmCifg = "lstm-cifg";
    public const string LstmFgr = "lstm-fgr";
    public const string Gru = "gru";
    public const string Mut1 = "mut1";
    public const string Mut2 = "mut2";
    public const string Mut3 = "mut3";

    public static IReadOnlyList<string> All { get; } =
    [
        RnnTanh, Lstm, LstmNig, LstmNfg, LstmNog, LstmNiaf, LstmNoaf, LstmNp, LstmCifg, LstmFgr, Gru, Mut1, Mut2, Mut3,
    ];

    /// <summary>True for the vanilla LSTM and its eight variants.</summary>
    public static bool IsLstmFamily(string cell) => cell == Lstm || cell.StartsWith("lstm-", StringComparison.Ordinal) && All.Contains(cell);

    public static void Validate(string cell)
    {
        if (cell is null || !All.Contains(cell))
        {
            throw new ArgumentException($"Unknown cell '{cell}'. Valid cells: {string.Join(", ", All)}.", nameof(cell));
        }
    }
}
