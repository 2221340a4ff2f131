using RnnLab.CellGraphs;
using RnnLab.Models.Cells;
using TorchSharp;
using static TorchSharp.torch;

namespace RnnLab.Models.Tests;

/// <summary>One step of every cell against the paper's equations evaluated with plain doubles.</summary>
public sealed class HandComputedStepTests
{
    private const int In = 3;
    private const int H = 2;

    public HandComputedStepTests() => set_num_threads(1);

    public static TheoryData<string> Cells() => new(CellNames.All);

    [Theory]
    [MemberData(nameof(Cells))]
    public void One_step_equals_the_equations(string name)
    {
        using var cell = CellFactory.Create(name, new CellOptions(In, H));
        cell.to(float64);
        var k = 0;
        using (no_grad())
        {
            foreach (var p in cell.parameters())
            {
                var flat = p.view(-1);
                for (var j = 0; j < flat.shape[0]; j++)
                {
                    flat[j] = 0.4 * Math.Sin(1.7 * k++ + 0.3);
                }
            }
        }

        double[] x = [0.5, -1.2, 0.8];
        double[] h0 = [0.3, -0.6];
        double[] c0 = [0.9, -0.4];
        double[] g0 = [0.2, 0.7, 0.4, 0.9, 0.1, 0.5];
        var state = new List<Tensor> { tensor(h0, float64).view(1, H) };
        if (CellNames.IsLstmFamily(name))
        {
            state.Add(tensor(c0, float64).view(1, H));
        }

        if (name == CellNames.LstmFgr)
        {
            state.Add(tensor(g0, float64).view(1, 3 * H));
        }

        var (output, next) = cell.Run(tensor(x, float64).view(1, 1, In), null, state.ToArray());
        var w = cell.named_parameters().ToDictionary(p => p.name, p => p.parameter.data<double>().ToArray());
        var expected = name switch
        {
            CellNames.RnnTanh => [Tanh(Add(Mv(w["weight_ih"], 0, x), Mv(w["weight_hh"], 0, h0), Slice(w["bias"], 0)))],
            CellNames.Gru or CellNames.Mut1 or CellNames.Mut2 or CellNames.Mut3 => [GatedUnit(name, w, x, h0)],
            _ => Lstm(name, w, x, h0, c0, g0),
        };

        Assert.Equal(expected.Length, next.Length);
        for (var s = 0; s < expected.Length; s++)
        {
            var actual = next[s].data<double>().ToArray();
            for (var j = 0; j < expected[s].Length; j++)
            {
                Assert.Equal(expected[s][j], actual[j], 12);
            }
        }

        var y = output.data<double>().ToArray();
        for (var j = 0; j < H; j++)
        {
            Assert.Equal(expected[0][j], y[j], 12);
        }
    }

    private static double[][] Lstm(string name, Dictionary<string, double[]> w, double[] x, double[] y0, double[] c0, double[] g0)
    {
        var hasI = name != CellNames.LstmNig;
        var hasF = name is not (CellNames.LstmNfg or CellNames.LstmCifg);
        var hasO = name != CellNames.LstmNog;
        var peep = name != CellNames.LstmNp;
        var blocks = new List<char> { 'z' };
        if (hasI)
        {
            blocks.Add('i');
        }

        if (hasF)
        {
            blocks.Add('f');
        }

        if (hasO)
        {
            blocks.Add('o');
        }

        double[] Pre(char gate)
        {
            var b = blocks.IndexOf(gate);
            var a = Add(Mv(w["weight_ih"], b, x), Mv(w["weight_hh"], b, y0), Slice(w["bias"], b));
            if (name == CellNames.LstmFgr && gate != 'z')
            {
                // The [3H,3H] gate recurrence: row block of this gate times the previous i, f, o activations.
                a = Add(a, Mv(w["weight_gates"], b - 1, g0));
            }

            return a;
        }

        var z = name == CellNames.LstmNiaf ? Pre('z') : Tanh(Pre('z'));
        var i = hasI ? Sigmoid(Add(Pre('i'), peep ? Mul(w["peephole_i"], c0) : Zero())) : One();
        var f = hasF ? Sigmoid(Add(Pre('f'), peep ? Mul(w["peephole_f"], c0) : Zero()))
            : name == CellNames.LstmCifg ? i.Select(v => 1 - v).ToArray() : One();
        var c = Add(Mul(z, i), Mul(c0, f));
        var o = hasO ? Sigmoid(Add(Pre('o'), peep ? Mul(w["peephole_o"], c) : Zero())) : One();
        var y = Mul(name == CellNames.LstmNoaf ? c : Tanh(c), o);
        return name == CellNames.LstmFgr ? [y, c, [.. i, .. f, .. o]] : [y, c];
    }

    private static double[] GatedUnit(string name, Dictionary<string, double[]> w, double[] x, double[] h)
    {
        var xp = w.TryGetValue("weight_xp", out var p) ? Mv(p, 0, x, x.Length) : x;
        var ih = w["weight_ih"];
        var n = xp.Length;
        var bz = Slice(w["bias"], 0);
        var br = Slice(w["bias"], 1);
        var bc = Slice(w["bias"], 2);
        double[] z, r, cand;
        switch (name)
        {
            case CellNames.Mut1:
                z = Sigmoid(Add(Mv(ih, 0, xp, n), bz));
                r = Sigmoid(Add(Mv(ih, 1, xp, n), Mv(w["weight_hr"], 0, h), br));
                cand = Tanh(Add(Mv(w["weight_hc"], 0, Mul(r, h)), Tanh(xp), bc));
                break;
            case CellNames.Mut2:
                z = Sigmoid(Add(Mv(ih, 0, xp, n), Mv(w["weight_hz"], 0, h), bz));
                r = Sigmoid(Add(xp, Mv(w["weight_hr"], 0, h), br));
                cand = Tanh(Add(Mv(w["weight_hc"], 0, Mul(r, h)), Mv(ih, 1, xp, n), bc));
                break;
            case CellNames.Mut3:
                z = Sigmoid(Add(Mv(ih, 0, xp, n), Mv(w["weight_hz"], 0, Tanh(h)), bz));
                r = Sigmoid(Add(Mv(ih, 1, xp, n), Mv(w["weight_hr"], 0, h), br));
                cand = Tanh(Add(Mv(w["weight_hc"], 0, Mul(r, h)), Mv(ih, 2, xp, n), bc));
                break;
            default:
                var u = Sigmoid(Add(Mv(ih, 0, xp, n), Mv(w["weight_hz"], 0, h), bz));
                r = Sigmoid(Add(Mv(ih, 1, xp, n), Mv(w["weight_hr"], 0, h), br));
                cand = Tanh(Add(Mv(w["weight_hc"], 0, Mul(r, h)), Mv(ih, 2, xp, n), bc));
                return Add(Mul(u, h), Mul(u.Select(v => 1 - v).ToArray(), cand));
        }

        return Add(Mul(cand, z), Mul(h, z.Select(v => 1 - v).ToArray()));
    }

    /// <summary>Row block <paramref name="block"/> (H rows) of a row-major matrix with len(v) columns, times v.</summary>
    private static double[] Mv(double[] m, int block, double[] v, int? columns = null)
    {
        var cols = columns ?? v.Length;
        var result = new double[H];
        for (var r = 0; r < H; r++)
        {
            for (var j = 0; j < cols; j++)
            {
                result[r] += m[(block * H + r) * cols + j] * v[j];
            }
        }

        return result;
    }

    private static double[] Slice(double[] v, int block) => v.Skip(block * H).Take(H).ToArray();

    private static double[] Add(params double[][] vs) => Enumerable.Range(0, H).Select(j => vs.Sum(v => v[j])).ToArray();

    private static double[] Mul(double[] a, double[] b) => a.Zip(b, (p, q) => p * q).ToArray();

    private static double[] Tanh(double[] a) => a.Select(Math.Tanh).ToArray();

    private static double[] Sigmoid(double[] a) => a.Select(v => 1 / (1 + Math.Exp(-v))).ToArray();

    private static double[] Zero() => new double[H];

    private static double[] One() => Enumerable.Repeat(1.0, H).ToArray();
}
