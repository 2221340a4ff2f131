using RnnLab.CellGraphs;
using TorchSharp;
using static TorchSharp.torch;

namespace RnnLab.Models.Cells;

/// <summary>The Elman network: h = tanh(U x + W h(t−1) + b).</summary>
public sealed class RnnTanhCell : RecurrentCell
{
    public RnnTanhCell(CellOptions options)
        : base(CellNames.RnnTanh, options)
    {
        Initialization.Matrix(AddParameter("weight_ih", options.HiddenSize, options.InputSize), options, 1, recurrent: false);
        Initialization.Matrix(AddParameter("weight_hh", options.HiddenSize, options.HiddenSize), options, 1, recurrent: true);
        AddParameter("bias", options.HiddenSize);
    }

    public override Tensor ProjectInput(Tensor x) => nn.functional.linear(x, P("weight_ih"), P("bias"));

    protected override Tensor[] RunKernel(Tensor projected, Tensor? mask, Tensor[] state) =>
        Kernels.RnnTanhSequenceFunction.Run(projected, P("weight_hh"), state[0], mask);

    public override Tensor[] Step(Tensor projected, Tensor[] state) =>
        [(projected + state[0].matmul(P("weight_hh").t())).tanh()];
}
