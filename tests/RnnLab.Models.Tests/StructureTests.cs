using RnnLab.CellGraphs;
using RnnLab.Models.Cells;
using TorchSharp;
using static TorchSharp.torch;

namespace RnnLab.Models.Tests;

public sealed class StructureTests
{
    public StructureTests() => set_num_threads(1);

    // Input 3, hidden 4. Counted by hand from the equations: matrices, biases, peepholes (and mut1/mut2's x→H projection).
    [Theory]
    [InlineData(CellNames.RnnTanh, 12 + 16 + 4)]
    [InlineData(CellNames.Lstm, 48 + 64 + 16 + 12)]
    [InlineData(CellNames.LstmNig, 36 + 48 + 12 + 8)]
    [InlineData(CellNames.LstmNfg, 36 + 48 + 12 + 8)]
    [InlineData(CellNames.LstmNog, 36 + 48 + 12 + 8)]
    [InlineData(CellNames.LstmNiaf, 48 + 64 + 16 + 12)]
    [InlineData(CellNames.LstmNoaf, 48 + 64 + 16 + 12)]
    [InlineData(CellNames.LstmNp, 48 + 64 + 16)]
    [InlineData(CellNames.LstmCifg, 36 + 48 + 12 + 8)]
    [InlineData(CellNames.LstmFgr, 48 + 64 + 16 + 12 + 144)]
    [InlineData(CellNames.Gru, 36 + 48 + 12)]
    [InlineData(CellNames.Mut1, 12 + 32 + 12 + 32)]
    [InlineData(CellNames.Mut2, 12 + 32 + 12 + 48)]
    [InlineData(CellNames.Mut3, 36 + 12 + 48)]
    public void A_cell_has_exactly_the_parameters_its_equations_use(string cell, int expected)
    {
        using var c = CellFactory.Create(cell, new CellOptions(3, 4));
        Assert.Equal(expected, c.parameters().Sum(p => p.numel()));
    }

    public static TheoryData<string> Cells() => new(CellNames.All);

    [Theory]
    [MemberData(nameof(Cells))]
    public void Every_parameter_receives_a_gradient(string cell)
    {
        manual_seed(2);
        using var c = CellFactory.Create(cell, new CellOptions(3, 4, InitScale: 0.5));
        var (output, state) = c.Run(randn(4, 2, 3), null, null);
        (output.sum() + state.Select(s => s.sum()).Aggregate((a, b) => a + b)).backward();
        foreach (var (name, p) in c.named_parameters())
        {
            Assert.True(p.grad is not null && p.grad.abs().sum().item<float>() > 0, $"{cell}: {name} is never used");
        }
    }

    [Theory]
    [InlineData(CellNames.Lstm, "peephole_i,peephole_f,peephole_o")]
    [InlineData(CellNames.LstmNig, "peephole_f,peephole_o")]
    [InlineData(CellNames.LstmNfg, "peephole_i,peephole_o")]
    [InlineData(CellNames.LstmNog, "peephole_i,peephole_f")]
    [InlineData(CellNames.LstmNp, "")]
    [InlineData(CellNames.LstmCifg, "peephole_i,peephole_o")]
    [InlineData(CellNames.LstmFgr, "peephole_i,peephole_f,peephole_o,weight_gates")]
    public void Lstm_variants_keep_only_their_peepholes_and_gate_recurrence(string cell, string extras)
    {
        using var c = CellFactory.Create(cell, new CellOptions(3, 4));
        var names = c.named_parameters().Select(p => p.name).Except(["weight_ih", "weight_hh", "bias"]).Order();
        Assert.Equal(extras.Split(',', StringSplitOptions.RemoveEmptyEntries).Order(), names);
    }

    [Fact]
    public void Cifg_couples_the_forget_gate_to_the_input_gate()
    {
        // With z = 0 the cell keeps c(t−1) ⊙ f; CIFG must keep exactly c(t−1) ⊙ (1 − i).
        using var cell = (LstmCell)CellFactory.Create(CellNames.LstmCifg, new CellOptions(1, 1));
        using (no_grad())
        {
            cell.get_parameter("weight_ih")!.zero_();
            cell.get_parameter("weight_hh")!.zero_();
            cell.get_parameter("peephole_i")!.zero_();
            cell.get_parameter("peephole_o")!.zero_();
            cell.get_parameter("bias")!.copy_(tensor(new[] { 0f, 0.7f, 0f }));
        }

        var c0 = tensor(new[,] { { 2f } });
        var (_, state) = cell.Run(zeros(1, 1, 1), null, [zeros(1, 1), c0]);
        var i = 1 / (1 + Math.Exp(-0.7));
        Assert.Equal(2 * (1 - i), state[1].item<float>(), 5);
    }

    [Fact]
    public void Forget_bias_sets_the_forget_gate_bias_of_gated_lstms_only()
    {
        using var lstm = CellFactory.Create(CellNames.Lstm, new CellOptions(2, 3, ForgetBias: 1));
        var bias = lstm.get_parameter("bias")!;
        Assert.Equal(3f, bias.narrow(0, 6, 3).sum().item<float>());
        Assert.Equal(0f, bias.sum().item<float>() - 3f);

        using var nfg = CellFactory.Create(CellNames.LstmNfg, new CellOptions(2, 3, ForgetBias: 1));
        Assert.Equal(0f, nfg.get_parameter("bias")!.abs().sum().item<float>());
    }

    [Theory]
    [InlineData(InitScheme.Uniform)]
    [InlineData(InitScheme.Normal)]
    [InlineData(InitScheme.Xavier)]
    [InlineData(InitScheme.Orthogonal)]
    public void Init_schemes_draw_the_documented_distributions(InitScheme scheme)
    {
        manual_seed(3);
        using var c = CellFactory.Create(CellNames.LstmNp, new CellOptions(64, 64, scheme, InitScale: 0.05));
        var ih = c.get_parameter("weight_ih")!;
        var hh = c.get_parameter("weight_hh")!;
        switch (scheme)
        {
            case InitScheme.Uniform:
                Assert.True(ih.abs().max().item<float>() <= 0.05f);
                Assert.True(ih.abs().max().item<float>() > 0.045f);
                break;
            case InitScheme.Normal:
                Assert.Equal(0.05, ih.std().item<float>(), 2);
                break;
            case InitScheme.Xavier:
                Assert.True(ih.abs().max().item<float>() <= Math.Sqrt(6.0 / 128) + 1e-6);
                Assert.True(ih.abs().max().item<float>() > 0.9 * Math.Sqrt(6.0 / 128));
                break;
            case InitScheme.Orthogonal:
                var block = hh.narrow(0, 64, 64);
                var gram = block.matmul(block.t());
                Assert.True((gram - eye(64)).abs().max().item<float>() < 1e-4);
                break;
        }
    }
}
