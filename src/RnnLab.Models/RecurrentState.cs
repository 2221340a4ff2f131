using TorchSharp;
using static TorchSharp.torch;

namespace RnnLab.Models;

/// <summary>The state a network carries between chunks: per layer and direction, the cell's state tensors (h first).</summary>
public sealed class RecurrentState : IDisposable
{
    public RecurrentState(IReadOnlyList<IReadOnlyList<Tensor[]>> layers)
    {
        Layers = layers;
    }

    /// <summary>[layer][direction] → the cell's state tensors, each [B, H] (h first; c for the LSTM family).</summary>
    public IReadOnlyList<IReadOnlyList<Tensor[]>> Layers { get; }

    /// <summary>A copy cut off from the graph, for truncated BPTT.</summary>
    public RecurrentState Detach() =>
        new(Layers.Select(l => (IReadOnlyList<Tensor[]>)l.Select(d => d.Select(t => t.detach()).ToArray()).ToList()).ToList());

    /// <summary>Moves the state's tensors to the enclosing dispose scope, so it can outlive the current batch scope.</summary>
    public RecurrentState MoveToOuterDisposeScope()
    {
        foreach (var t in Layers.SelectMany(l => l).SelectMany(d => d))
        {
            t.MoveToOuterDisposeScope();
        }

        return this;
    }

    public void Dispose()
    {
        foreach (var t in Layers.SelectMany(l => l).SelectMany(d => d))
        {
            t.Dispose();
        }
    }
}
