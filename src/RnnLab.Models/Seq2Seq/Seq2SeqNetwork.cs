using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace RnnLab.Models.Seq2Seq;

/// <summary>
/// An encoder–decoder network with Luong ("general") attention. The encoder embeds the source and runs
/// <see cref="NetworkOptions.Layers"/> recurrent layers of <see cref="NetworkOptions.Cell"/> (bidirectional when
/// asked); a bridge turns its final state into the initial h of every decoder layer. The decoder embeds the
/// target so far and runs the same number of unidirectional layers of the same cell; at each step it scores the
/// encoder outputs against its top h (hᵀ W_a e_s), mixes them into a context c, and predicts from
/// tanh(W_c [c; h]). Without input feeding, so teacher-forced training runs each decoder layer over the whole
/// target at once. <see cref="NetworkOptions.InputSize"/> is the source vocabulary, <see cref="NetworkOptions.OutputSize"/>
/// the target vocabulary (including its begin and end tokens).
/// </summary>
public sealed class Seq2SeqNetwork : nn.Module
{
    private readonly Embedding _sourceEmbedding;
    private readonly Embedding _targetEmbedding;
    private readonly RecurrentLayer[] _encoder;
    private readonly RecurrentLayer[] _decoder;
    private readonly Linear _bridge;
    private readonly Linear _attentionKeys;
    private readonly Linear _attentional;
    private readonly Linear _head;

    public Seq2SeqNetwork(NetworkOptions options)
        : base(nameof(Seq2SeqNetwork))
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (!options.TokenInput || options.Head != HeadKind.Sequence)
        {
            throw new ArgumentException("a sequence-to-sequence network reads tokens and has the Sequence head", nameof(options));
        }

        Options = options;
        var embedding = options.EmbeddingSize > 0 ? options.EmbeddingSize : options.HiddenSize;
        var hidden = options.HiddenSize;
        _sourceEmbedding = nn.Embedding(options.InputSize, embedding);
        _targetEmbedding = nn.Embedding(options.OutputSize, embedding);
        using (no_grad())
        {
            _sourceEmbedding.weight!.uniform_(-options.InitScale, options.InitScale);
            _targetEmbedding.weight!.uniform_(-options.InitScale, options.InitScale);
        }

        _encoder = Stack(options, embedding, options.Bidirectional);
        _decoder = Stack(options, embedding, bidirectional: false);
        var encoded = _encoder[^1].OutputSize;
        _bridge = nn.Linear(encoded, hidden);
        _attentionKeys = nn.Linear(encoded, hidden, hasBias: false);
        _attentional = nn.Linear(encoded + hidden, hidden);
        _head = nn.Linear(hidden, options.OutputSize);
        register_module("source_embedding", _sourceEmbedding);
        register_module("target_embedding", _targetEmbedding);
        for (var l = 0; l < _encoder.Length; l++)
        {
            register_module($"encoder{l}", _encoder[l]);
            register_module($"decoder{l}", _decoder[l]);
        }

        register_module("bridge", _bridge);
        register_module("attention_keys", _attentionKeys);
        register_module("attentional", _attentional);
        register_module("head", _head);
    }

    public NetworkOptions Options { get; }

    private static RecurrentLayer[] Stack(NetworkOptions options, int width, bool bidirectional)
    {
        var layers = new RecurrentLayer[options.Layers];
        for (var l = 0; l < layers.Length; l++)
        {
            layers[l] = new RecurrentLayer(options.Cell, new CellOptions(width, options.HiddenSize, options.Init, options.InitScale, options.ForgetBias), bidirectional);
            width = layers[l].OutputSize;
        }

        return layers;
    }

    /// <summary>Teacher-forced logits [T',B,V] for source [S,B] (mask [S,B] or null) and decoder input [T',B].</summary>
    public Tensor Forward(Tensor source, Tensor? mask, Tensor decoderInput)
    {
        var encoded = Encode(source, mask);
        var (logits, _) = Decode(decoderInput, InitialState(encoded), encoded);
        return logits;
    }

    /// <summary>Runs the encoder over source [S,B] (right-padded, mask [S,B] or null).</summary>
    public EncodedSource Encode(Tensor source, Tensor? mask)
    {
        if (source.dim() != 2 || source.dtype != ScalarType.Int64)
        {
            throw new ArgumentException($"Source must be [S,B] int64 tokens, got [{string.Join(",", source.shape)}] {source.dtype}.", nameof(source));
        }

        var x = _sourceEmbedding.forward(source);
        Tensor[][]? final = null;
        for (var l = 0; l < _encoder.Length; l++)
        {
            if (l > 0 && Options.Dropout > 0)
            {
                x = nn.functional.dropout(x, Options.Dropout, training);
            }

            var (output, state) = _encoder[l].Run(x, mask, null);
            x = output;
            final = state;
        }

        return new EncodedSource(x, _attentionKeys.forward(x), mask, final!);
    }

    /// <summary>Per decoder layer the cell's state: h from the bridge over the encoder's final h (all directions), the rest zero.</summary>
    public Tensor[][] InitialState(EncodedSource encoded)
    {
        var h = torch.tanh(_bridge.forward(cat(encoded.FinalState.Select(direction => direction[0]).ToArray(), 1)));
        return _decoder.Select(layer =>
        {
            var state = layer.ForwardCell.ZeroState(h.shape[0], h.dtype, h.device);
            state[0] = h;
            return state;
        }).ToArray();
    }

    /// <summary>Decoder steps over tokens [T,B] from a state; logits [T,B,V] and the state after the last step.</summary>
    public (Tensor Logits, Tensor[][] State) Decode(Tensor tokens, Tensor[][] state, EncodedSource encoded)
    {
        var x = _targetEmbedding.forward(tokens);
        var next = new Tensor[_decoder.Length][];
        for (var l = 0; l < _decoder.Length; l++)
        {
            if (l > 0 && Options.Dropout > 0)
            {
                x = nn.functional.dropout(x, Options.Dropout, training);
            }

            var (output, layerState) = _decoder[l].Run(x, null, [state[l]]);
            next[l] = layerState[0];
            x = output;
        }

        var queries = x.transpose(0, 1);
        var scores = queries.bmm(encoded.Keys.transpose(0, 1).transpose(1, 2));
        if (encoded.Mask is not null)
        {
            var padding = encoded.Mask.transpose(0, 1).unsqueeze(1).eq(0);
            scores = scores.masked_fill(padding, Kernels.Scalars.NegativeInfinity);
        }

        var context = scores.softmax(-1).bmm(encoded.Outputs.transpose(0, 1)).transpose(0, 1);
        var attentional = torch.tanh(_attentional.forward(cat([context, x], 2)));
        if (Options.Dropout > 0)
        {
            attentional = nn.functional.dropout(attentional, Options.Dropout, training);
        }

        return (_head.forward(attentional), next);
    }

    /// <summary>Switches every layer between the sequence kernels (default) and the autograd reference steps.</summary>
    public void UseKernels(bool on)
    {
        foreach (var layer in _encoder.Concat(_decoder))
        {
            layer.UseKernels(on);
        }
    }
}
