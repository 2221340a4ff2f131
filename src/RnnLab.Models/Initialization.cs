using TorchSharp;
using static TorchSharp.torch;

namespace RnnLab.Models;

/// <summary>Draws initial weights per <see cref="InitScheme"/>, one gate block of a stacked matrix at a time.</summary>
public static class Initialization
{
    /// <summary>Fills a [blocks·H, fanIn] matrix block by block; recurrent blocks become orthogonal under that scheme.</summary>
    public static void Matrix(Tensor weight, CellOptions options, int blocks, bool recurrent)
    {
        using var _ = no_grad();
        var rows = weight.shape[0] / blocks;
        for (var b = 0; b < blocks; b++)
        {
            using var block = weight.narrow(0, b * rows, rows);
            switch (options.Init)
            {
                case InitScheme.Uniform:
                    block.uniform_(-options.InitScale, options.InitScale);
                    break;
                case InitScheme.Normal:
                    block.normal_(0, options.InitScale);
                    break;
                case InitScheme.Orthogonal when recurrent:
                    nn.init.orthogonal_(block);
                    break;
                default:
                    nn.init.xavier_uniform_(block);
                    break;
            }
        }
    }

    /// <summary>Peephole and similar per-unit weights: scaled like the matrices, zero for the fan-based schemes.</summary>
    public static void Vector(Tensor weight, CellOptions options)
    {
        using var _ = no_grad();
        switch (options.Init)
        {
            case InitScheme.Uniform:
                weight.uniform_(-options.InitScale, options.InitScale);
                break;
            case InitScheme.Normal:
                weight.normal_(0, options.InitScale);
                break;
            default:
                weight.zero_();
                break;
        }
    }
}
