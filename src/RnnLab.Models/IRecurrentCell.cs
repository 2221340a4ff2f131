using static TorchSharp.torch;

namespace RnnLab.Models;

/// <summary>One recurrent step, run over a whole time-major sequence.</summary>
public interface IRecurrentCell
{
    string CellName { get; }

    int InputSize { get; }

    int HiddenSize { get; }

    /// <summary>How many [B, H] tensors make up the state (h first).</summary>
    int StateCount { get; }

    /// <summary>
    /// Runs the cell over x [T,B,In]. mask [T,B] (1 real, 0 padding) keeps the state unchanged on padded steps,
    /// whose outputs are zero. Returns the outputs [T,B,H] and the final state.
    /// </summary>
    (Tensor Output, Tensor[] State) Run(Tensor x, Tensor? mask, Tensor[]? state);

    /// <summary>Zero state for a batch of the given size, dtype and device.</summary>
    Tensor[] ZeroState(long batch, ScalarType dtype, Device device);
}
