using RnnLab.CellGraphs;
using RnnLab.Models.Cells;
using RnnLab.Models.Graphs;
using TorchSharp;
using static TorchSharp.torch;

namespace RnnLab.Models;

/// <summary>One recurrent layer: a forward cell and, if bidirectional, a backward cell whose outputs are concatenated.</summary>
public sealed class RecurrentLayer : nn.Module
{
    private readonly RecurrentCell _forward;
    private readonly RecurrentCell? _backward;

    public RecurrentLayer(string cell, CellOptions options, bool bidirectional, CellGraph? graph = null)
        : base(nameof(RecurrentLayer))
    {
        _forward = GraphCellFactory.Create(cell, graph, options);
        register_module("forward", _forward);
        if (bidirectional)
        {
            _backward = GraphCellFactory.Create(cell, graph, options);
            register_module("backward", _backward);
        }
    }

    public RecurrentCell ForwardCell => _forward;

    public RecurrentCell? BackwardCell => _backward;

    public int OutputSize => _forward.HiddenSize * (_backward is null ? 1 : 2);

    /// <summary>
    /// x [T,B,In], mask [T,B] or null, state per direction or null. The backward direction runs on the
    /// time-reversed sequence; with right padding its padded steps come first and leave the state untouched,
    /// so it starts at each sequence's last valid step.
    /// </summary>
    public (Tensor Output, Tensor[][] State) Run(Tensor x, Tensor? mask, Tensor[][]? state)
    {
        var (fwd, fwdState) = _forward.Run(x, mask, state?[0]);
        if (_backward is null)
        {
            return (fwd, [fwdState]);
        }

        var (bwdReversed, bwdState) = _backward.Run(x.flip(0), mask?.flip(0), state?[1]);
        return (cat([fwd, bwdReversed.flip(0)], 2), [fwdState, bwdState]);
    }

    public void UseKernels(bool on)
    {
        _forward.UseKernel = on;
        if (_backward is not null)
        {
            _backward.UseKernel = on;
        }
    }
}
