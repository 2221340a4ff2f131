using RnnLab.CellGraphs;
namespace RnnLab.Models.Cells;

/// <summary>Which parts of Greff's vanilla LSTM a variant keeps.</summary>
public sealed record LstmVariant(
    bool InputGate = true,
    bool ForgetGate = true,
    bool OutputGate = true,
    bool CoupledInputForget = false,
    bool Peepholes = true,
    bool BlockActivation = true,
    bool OutputActivation = true,
    bool GateRecurrence = false)
{
    public static LstmVariant For(string cell) => cell switch
    {
        CellNames.Lstm => new(),
        CellNames.LstmNig => new(InputGate: false),
        CellNames.LstmNfg => new(ForgetGate: false),
        CellNames.LstmNog => new(OutputGate: false),
        CellNames.LstmNiaf => new(BlockActivation: false),
        CellNames.LstmNoaf => new(OutputActivation: false),
        CellNames.LstmNp => new(Peepholes: false),
        CellNames.LstmCifg => new(ForgetGate: false, CoupledInputForget: true),
        CellNames.LstmFgr => new(GateRecurrence: true),
        _ => throw new ArgumentException($"'{cell}' is not an LSTM-family cell.", nameof(cell)),
    };

    /// <summary>Sigmoid gates with their own weights, in the order they are stacked after the block input z.</summary>
    public int SigmoidGates => (InputGate ? 1 : 0) + (ForgetGate ? 1 : 0) + (OutputGate ? 1 : 0);

    /// <summary>Row blocks of the stacked weight matrices: z, then i, f, o where present.</summary>
    public int Blocks => 1 + SigmoidGates;

    public int InputBlock => InputGate ? 1 : -1;

    public int ForgetBlock => ForgetGate ? (InputGate ? 2 : 1) : -1;

    public int OutputBlock => OutputGate ? Blocks - 1 : -1;
}
