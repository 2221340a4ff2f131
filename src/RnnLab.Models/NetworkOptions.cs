using RnnLab.CellGraphs;

namespace RnnLab.Models;

/// <summary>Everything needed to build a <see cref="RecurrentNetwork"/>.</summary>
public sealed record NetworkOptions
{
    public required string Cell { get; init; }

    /// <summary>The cell as a graph, compiled instead of the built-in named by <see cref="Cell"/> (which then names the graph).</summary>
    public CellGraph? CellGraph { get; init; }

    /// <summary>Features per step, or the vocabulary size when <see cref="TokenInput"/>.</summary>
    public required int InputSize { get; init; }

    /// <summary>Input is [T,B] int64 token ids, looked up in an embedding.</summary>
    public bool TokenInput { get; init; }

    /// <summary>Embedding width; 0 means <see cref="HiddenSize"/>.</summary>
    public int EmbeddingSize { get; init; }

    public int HiddenSize { get; init; } = 64;

    public int Layers { get; init; } = 1;

    public bool Bidirectional { get; init; }

    /// <summary>Dropout probability on the input of every layer after the first, in training mode only.</summary>
    public double Dropout { get; init; }

    public HeadKind Head { get; init; }

    public required int OutputSize { get; init; }

    public InitScheme Init { get; init; } = InitScheme.Uniform;

    public double InitScale { get; init; } = 0.1;

    /// <summary>Added to the forget-gate bias of LSTM-family cells that have a forget gate.</summary>
    public double ForgetBias { get; init; }

    /// <summary>Throws an <see cref="ArgumentException"/> naming the first invalid field.</summary>
    public void Validate()
    {
        if (CellGraph is null)
        {
            CellNames.Validate(Cell);
        }

        Require(InputSize > 0, nameof(InputSize), "must be positive");
        Require(HiddenSize > 0, nameof(HiddenSize), "must be positive");
        Require(Layers > 0, nameof(Layers), "must be positive");
        Require(OutputSize > 0, nameof(OutputSize), "must be positive");
        Require(EmbeddingSize >= 0, nameof(EmbeddingSize), "must not be negative");
        Require(Dropout is >= 0 and < 1, nameof(Dropout), "must be in [0, 1)");
        Require(InitScale > 0 && double.IsFinite(InitScale), nameof(InitScale), "must be positive and finite");
        Require(double.IsFinite(ForgetBias), nameof(ForgetBias), "must be finite");
    }

    private static void Require(bool ok, string field, string rule)
    {
        if (!ok)
        {
            throw new ArgumentException($"NetworkOptions.{field} {rule}.", field);
        }
    }
}
