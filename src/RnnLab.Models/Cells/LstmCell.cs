using TorchSharp;
using static TorchSharp.torch;

namespace RnnLab.Models.Cells;

/// <summary>
/// Greff's vanilla LSTM with peepholes and its eight variants. State: y (the output) and c.
/// Weight rows are stacked in blocks z, i, f, o (absent gates have no rows); peepholes p_i, p_f look at
/// c(t−1), p_o at c(t); lstm-fgr adds a [3H, 3H] matrix feeding the previous step's i, f, o into each gate.
/// </summary>
public sealed class LstmCell : RecurrentCell
{
    public LstmCell(string cellName, CellOptions options)
        : base(cellName, options)
    {
        Variant = LstmVariant.For(cellName);
        var h = options.HiddenSize;
        var rows = Variant.Blocks * h;
        Initialization.Matrix(AddParameter("weight_ih", rows, options.InputSize), options, Variant.Blocks, recurrent: false);
        Initialization.Matrix(AddParameter("weight_hh", rows, h), options, Variant.Blocks, recurrent: true);
        var bias = AddParameter("bias", rows);
        if (Variant.ForgetGate && options.ForgetBias != 0)
        {
            using var _ = no_grad();
            bias.narrow(0, Variant.ForgetBlock * h, h).fill_(options.ForgetBias);
        }

        if (Variant.Peepholes)
        {
            if (Variant.InputGate)
            {
                Initialization.Vector(AddParameter("peephole_i", h), options);
            }

            if (Variant.ForgetGate)
            {
                Initialization.Vector(AddParameter("peephole_f", h), options);
            }

            if (Variant.OutputGate)
            {
                Initialization.Vector(AddParameter("peephole_o", h), options);
            }
        }

        if (Variant.GateRecurrence)
        {
            var g = Variant.SigmoidGates;
            Initialization.Matrix(AddParameter("weight_gates", g * h, g * h), options, g, recurrent: true);
        }
    }

    public LstmVariant Variant { get; }

    /// <summary>y and c; lstm-fgr also carries the previous step's gate activations [B, 3H].</summary>
    public override int StateCount => Variant.GateRecurrence ? 3 : 2;

    public override Tensor[] ZeroState(long batch, ScalarType dtype, Device device)
    {
        var s = base.ZeroState(batch, dtype, device);
        if (Variant.GateRecurrence)
        {
            s[2] = zeros(new long[] { batch, Variant.SigmoidGates * HiddenSize }, dtype, device);
        }

        return s;
    }

    public override Tensor ProjectInput(Tensor x) => nn.functional.linear(x, P("weight_ih"), P("bias"));

    protected override Tensor[] RunKernel(Tensor projected, Tensor? mask, Tensor[] state) =>
        Kernels.LstmSequenceFunction.Run(
            Variant, projected, P("weight_hh"), OptionalP("peephole_i"), OptionalP("peephole_f"), OptionalP("peephole_o"),
            OptionalP("weight_gates"), state, mask);

    public override Tensor[] Step(Tensor projected, Tensor[] state)
    {
        var (y, c) = (state[0], state[1]);
        var h = HiddenSize;
        var v = Variant;
        var a = projected + y.matmul(P("weight_hh").t());
        if (v.GateRecurrence)
        {
            a = a + cat([zeros_like(y), state[2].matmul(P("weight_gates").t())], 1);
        }

        Tensor Block(int k) => a.narrow(1, k * h, h);
        var z = v.BlockActivation ? Block(0).tanh() : Block(0);
        Tensor? i = null, f = null, o = null;
        if (v.InputGate)
        {
            var ai = Block(v.InputBlock);
            i = (v.Peepholes ? ai + P("peephole_i") * c : ai).sigmoid();
        }

        if (v.ForgetGate)
        {
            var af = Block(v.ForgetBlock);
            f = (v.Peepholes ? af + P("peephole_f") * c : af).sigmoid();
        }
        else if (v.CoupledInputForget)
        {
            f = 1 - i!;
        }

        var cNew = (i is null ? z : z * i) + (f is null ? c : c * f);
        if (v.OutputGate)
        {
            var ao = Block(v.OutputBlock);
            o = (v.Peepholes ? ao + P("peephole_o") * cNew : ao).sigmoid();
        }

        var hc = v.OutputActivation ? cNew.tanh() : cNew;
        var yNew = o is null ? hc : hc * o;
        if (!v.GateRecurrence)
        {
            return [yNew, cNew];
        }

        var gates = cat(new[] { i, f, o }.Where(g => g is not null).Select(g => g!).ToArray(), 1);
        return [yNew, cNew, gates];
    }
}
