using RnnLab.CellGraphs;
using TorchSharp;
using static TorchSharp.torch;

namespace RnnLab.Models.Cells;

/// <summary>
/// GRU (reset applied to h before the matmul, as Jozefowicz et al. use it) and MUT1–3.
/// Projected input columns are stacked z, r, candidate. Recurrent weights: weight_hz (absent in mut1),
/// weight_hr, weight_hc, each [H, H]. mut1 and mut2 add x itself, so an input of another width is first
/// projected to H by weight_xp.
/// </summary>
public sealed class GatedUnitCell : RecurrentCell
{
    public GatedUnitCell(string cellName, CellOptions options)
        : base(cellName, options)
    {
        Kind = cellName switch
        {
            CellNames.Gru => GatedUnitKind.Gru,
            CellNames.Mut1 => GatedUnitKind.Mut1,
            CellNames.Mut2 => GatedUnitKind.Mut2,
            CellNames.Mut3 => GatedUnitKind.Mut3,
            _ => throw new ArgumentException($"'{cellName}' is not a GRU or MUT cell.", nameof(cellName)),
        };
        var h = options.HiddenSize;
        var inWidth = options.InputSize;
        if (AddsRawInput && inWidth != h)
        {
            Initialization.Matrix(AddParameter("weight_xp", h, inWidth), options, 1, recurrent: false);
            inWidth = h;
        }

        // mut1 has no weight on x for the candidate (it uses tanh(x)); mut2 none for r (it uses x).
        var inputBlocks = Kind is GatedUnitKind.Mut1 or GatedUnitKind.Mut2 ? 2 : 3;
        Initialization.Matrix(AddParameter("weight_ih", inputBlocks * h, inWidth), options, inputBlocks, recurrent: false);
        AddParameter("bias", 3 * h);
        if (Kind != GatedUnitKind.Mut1)
        {
            Initialization.Matrix(AddParameter("weight_hz", h, h), options, 1, recurrent: true);
        }

        Initialization.Matrix(AddParameter("weight_hr", h, h), options, 1, recurrent: true);
        Initialization.Matrix(AddParameter("weight_hc", h, h), options, 1, recurrent: true);
    }

    public GatedUnitKind Kind { get; }

    private bool AddsRawInput => Kind is GatedUnitKind.Mut1 or GatedUnitKind.Mut2;

    public override Tensor ProjectInput(Tensor x)
    {
        var h = HiddenSize;
        var xp = OptionalP("weight_xp") is { } wp ? x.matmul(wp.t()) : x;
        var w = P("weight_ih");
        var b = P("bias");
        return Kind switch
        {
            // ih rows: z, r | bias: z, r, c
            GatedUnitKind.Mut1 => cat([nn.functional.linear(xp, w, b.narrow(0, 0, 2 * h)), xp.tanh().add(b.narrow(0, 2 * h, h), Kernels.Scalars.One)], 2),

            // ih rows: z, c
            GatedUnitKind.Mut2 => cat(
                [
                    nn.functional.linear(xp, w.narrow(0, 0, h), b.narrow(0, 0, h)),
                    xp.add(b.narrow(0, h, h), Kernels.Scalars.One),
                    nn.functional.linear(xp, w.narrow(0, h, h), b.narrow(0, 2 * h, h)),
                ],
                2),
            _ => nn.functional.linear(xp, w, b),
        };
    }

    protected override Tensor[] RunKernel(Tensor projected, Tensor? mask, Tensor[] state) =>
        Kernels.GatedUnitSequenceFunction.Run(
            Kind, projected, OptionalP("weight_hz"), P("weight_hr"), P("weight_hc"), state[0], mask);

    public override Tensor[] Step(Tensor projected, Tensor[] state)
    {
        var h = HiddenSize;
        var hPrev = state[0];
        var az = projected.narrow(1, 0, h);
        var z = Kind switch
        {
            GatedUnitKind.Mut1 => az.sigmoid(),
            GatedUnitKind.Mut3 => (az + hPrev.tanh().matmul(P("weight_hz").t())).sigmoid(),
            _ => (az + hPrev.matmul(P("weight_hz").t())).sigmoid(),
        };
        var r = (projected.narrow(1, h, h) + hPrev.matmul(P("weight_hr").t())).sigmoid();
        var candidate = (projected.narrow(1, 2 * h, h) + (r * hPrev).matmul(P("weight_hc").t())).tanh();
        var keep = Kind == GatedUnitKind.Gru ? z : 1 - z;
        return [keep * hPrev + (1 - keep) * candidate];
    }
}
