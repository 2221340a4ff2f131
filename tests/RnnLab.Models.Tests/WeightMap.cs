using RnnLab.CellGraphs;
using RnnLab.Models.Cells;
using static TorchSharp.torch;

namespace RnnLab.Models.Tests;

/// <summary>Where each parameter of a built-in graph sits in the hand-written cell's stacked weights.</summary>
internal sealed record WeightMap(string Graph, string Hand, Func<Tensor, Tensor> Slice)
{
    private static Func<Tensor, Tensor> Rows(int block, int h) => t => t.narrow(0, block * h, h);

    private static Func<Tensor, Tensor> Block(int row, int col, int h) => t => t.narrow(0, row * h, h).narrow(1, col * h, h);

    private static Func<Tensor, Tensor> All => t => t;

    public static IReadOnlyList<WeightMap> For(string cell, int h)
    {
        if (cell == CellNames.RnnTanh)
        {
            return [new("w_wx", "weight_ih", All), new("b_wx", "bias", All), new("w_uh", "weight_hh", All)];
        }

        if (CellNames.IsLstmFamily(cell))
        {
            var v = LstmVariant.For(cell);
            var blocks = new List<string> { "z" };
            blocks.AddRange(new[] { ("i", v.InputGate), ("f", v.ForgetGate), ("o", v.OutputGate) }.Where(g => g.Item2).Select(g => g.Item1));
            var map = new List<WeightMap>();
            for (var k = 0; k < blocks.Count; k++)
            {
                var g = blocks[k];
                map.Add(new($"w_{g}x", "weight_ih", Rows(k, h)));
                map.Add(new($"b_{g}x", "bias", Rows(k, h)));
                map.Add(new($"w_{g}h", "weight_hh", Rows(k, h)));
                if (g != "z" && v.Peepholes)
                {
                    map.Add(new($"p_p{g}", $"peephole_{g}", All));
                }
            }

            if (v.GateRecurrence)
            {
                var gates = blocks.Skip(1).ToList();
                for (var r = 0; r < gates.Count; r++)
                {
                    for (var c = 0; c < gates.Count; c++)
                    {
                        map.Add(new($"w_r{gates[r]}{gates[c]}", "weight_gates", Block(r, c, h)));
                    }
                }
            }

            return map;
        }

        return cell switch
        {
            CellNames.Gru or CellNames.Mut3 =>
            [
                new("w_zx", "weight_ih", Rows(0, h)), new("w_rx", "weight_ih", Rows(1, h)), new("w_cx", "weight_ih", Rows(2, h)),
                new("b_zx", "bias", Rows(0, h)), new("b_rx", "bias", Rows(1, h)), new("b_cx", "bias", Rows(2, h)),
                new("w_zh", "weight_hz", All), new("w_rh", "weight_hr", All), new("w_ch", "weight_hc", All),
            ],
            CellNames.Mut1 =>
            [
                new("w_xp", "weight_xp", All), new("w_zx", "weight_ih", Rows(0, h)), new("w_rx", "weight_ih", Rows(1, h)),
                new("b_zx", "bias", Rows(0, h)), new("b_rx", "bias", Rows(1, h)), new("b_cx", "bias", Rows(2, h)),
                new("w_rh", "weight_hr", All), new("w_ch", "weight_hc", All),
            ],
            CellNames.Mut2 =>
            [
                new("w_xp", "weight_xp", All), new("w_zx", "weight_ih", Rows(0, h)), new("w_cx", "weight_ih", Rows(1, h)),
                new("b_zx", "bias", Rows(0, h)), new("b_rx", "bias", Rows(1, h)), new("b_cx", "bias", Rows(2, h)),
                new("w_zh", "weight_hz", All), new("w_rh", "weight_hr", All), new("w_ch", "weight_hc", All),
            ],
            _ => throw new ArgumentException(cell),
        };
    }

    /// <summary>The graph's state from the hand-written cell's: lstm-fgr keeps its gates as one [B, 3H] tensor, the graph as three.</summary>
    public static Tensor[] GraphState(string cell, Tensor[] hand, int h) =>
        cell == CellNames.LstmFgr
            ? [hand[0], hand[1], hand[2].narrow(1, 0, h), hand[2].narrow(1, h, h), hand[2].narrow(1, 2 * h, h)]
            : hand;
}
