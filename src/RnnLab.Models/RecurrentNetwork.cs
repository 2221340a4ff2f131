using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace RnnLab.Models;

/// <summary>Embedding (token input) → L recurrent layers → linear head producing logits.</summary>
public sealed class RecurrentNetwork : nn.Module
{
    private readonly Embedding? _embedding;
    private readonly RecurrentLayer[] _layers;
    private readonly Linear _head;

    public RecurrentNetwork(NetworkOptions options)
        : base(nameof(RecurrentNetwork))
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Options = options;
        var width = options.InputSize;
        if (options.TokenInput)
        {
            width = options.EmbeddingSize > 0 ? options.EmbeddingSize : options.HiddenSize;
            _embedding = nn.Embedding(options.InputSize, width);
            using (no_grad())
            {
                _embedding.weight!.uniform_(-options.InitScale, options.InitScale);
            }

            register_module("embedding", _embedding);
        }

        _layers = new RecurrentLayer[options.Layers];
        for (var l = 0; l < options.Layers; l++)
        {
            var cellOptions = new CellOptions(width, options.HiddenSize, options.Init, options.InitScale, options.ForgetBias);
            _layers[l] = new RecurrentLayer(options.Cell, cellOptions, options.Bidirectional, options.CellGraph);
            register_module($"layer{l}", _layers[l]);
            width = _layers[l].OutputSize;
        }

        _head = nn.Linear(width, options.OutputSize);
        register_module("head", _head);
    }

    public NetworkOptions Options { get; }

    public IReadOnlyList<RecurrentLayer> Layers => _layers;

    /// <summary>
    /// input [T,B,F] float (or [T,B] int64 tokens), mask [T,B] (1 real, 0 padding; right-padded), state from the
    /// previous chunk or null for zeros. Returns logits ([T,B,O] per step, [B,O] for the last-step head) and the final state.
    /// </summary>
    public (Tensor Output, RecurrentState State) Forward(Tensor input, Tensor? mask = null, RecurrentState? state = null)
    {
        var x = Embed(input);
        if (state is not null && state.Layers.Count != _layers.Length)
        {
            throw new ArgumentException($"State has {state.Layers.Count} layers, the network {_layers.Length}.", nameof(state));
        }

        var finalState = new List<IReadOnlyList<Tensor[]>>(_layers.Length);
        for (var l = 0; l < _layers.Length; l++)
        {
            if (l > 0 && Options.Dropout > 0)
            {
                x = nn.functional.dropout(x, Options.Dropout, training);
            }

            var (output, layerState) = _layers[l].Run(x, mask, state?.Layers[l].ToArray());
            finalState.Add(layerState);
            x = output;
        }

        if (Options.Head == HeadKind.LastStep)
        {
            x = LastValidStep(x, mask);
        }

        return (_head.forward(x), new RecurrentState(finalState));
    }

    /// <summary>Switches every layer between the sequence kernels (default) and the autograd reference steps.</summary>
    public void UseKernels(bool on)
    {
        foreach (var layer in _layers)
        {
            layer.UseKernels(on);
        }
    }

    private Tensor Embed(Tensor input)
    {
        if (_embedding is not null)
        {
            if (input.dim() != 2 || input.dtype != ScalarType.Int64)
            {
                throw new ArgumentException($"Token input must be [T,B] int64, got [{string.Join(",", input.shape)}] {input.dtype}.", nameof(input));
            }

            return _embedding.forward(input);
        }

        if (input.dim() != 3 || input.shape[2] != Options.InputSize)
        {
            throw new ArgumentException($"Input must be [T,B,{Options.InputSize}], got [{string.Join(",", input.shape)}].", nameof(input));
        }

        return input;
    }

    private static Tensor LastValidStep(Tensor x, Tensor? mask)
    {
        if (mask is null)
        {
            return x[-1];
        }

        var last = mask.sum(dim: 0).sub_(Kernels.Scalars.One).clamp_min(Kernels.Scalars.Zero).to(ScalarType.Int64);
        var index = last.view(1, -1, 1).expand(1, x.shape[1], x.shape[2]);
        return x.gather(0, index).squeeze(0);
    }
}
