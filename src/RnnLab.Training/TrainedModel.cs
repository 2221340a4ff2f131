using RnnLab.Models;
using RnnLab.Models.Seq2Seq;
using TorchSharp;
using static TorchSharp.torch;

namespace RnnLab.Training;

/// <summary>A network loaded from a checkpoint for inference, with its best weights (those early stopping kept)
/// and, for character models, the vocabulary.</summary>
public sealed class TrainedModel : IDisposable
{
    private readonly nn.Module _module;

    private TrainedModel(TrialConfig config, nn.Module module, IReadOnlyList<string>? vocabulary, TranslationVocabularies? translation, int epoch)
    {
        Config = config;
        _module = module;
        Vocabulary = vocabulary;
        Translation = translation;
        Epoch = epoch;
    }

    public TrialConfig Config { get; }

    /// <summary>The recurrent network; an encoder–decoder checkpoint has none (see <see cref="Seq2Seq"/>).</summary>
    public RecurrentNetwork Network => _module as RecurrentNetwork
        ?? throw new ArgumentException($"the checkpoint is for task '{Config.Task}', an encoder–decoder (translation) model: use it to translate");

    /// <summary>The encoder–decoder of a translation checkpoint; null for other tasks.</summary>
    public Seq2SeqNetwork? Seq2Seq => _module as Seq2SeqNetwork;

    /// <summary>The target side of a translation checkpoint; null for other tasks.</summary>
    public TranslationVocabularies? Translation { get; }

    /// <summary>The symbols of a character language model; null for other tasks.</summary>
    public IReadOnlyList<string>? Vocabulary { get; }

    public int Epoch { get; }

    public static TrainedModel Load(Stream stream)
    {
        var checkpoint = TrialCheckpoint.ReadFrom(stream);
        var metadata = checkpoint.Metadata();
        var network = metadata.Shape.BuildModule(checkpoint.Config);
        var best = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        try
        {
            checkpoint.Restore(network, optimizer: null, best);
            if (best.Count > 0)
            {
                network.load_state_dict(best);
            }
        }
        finally
        {
            foreach (var tensor in best.Values)
            {
                tensor.Dispose();
            }
        }

        network.eval();
        return new TrainedModel(checkpoint.Config, network, metadata.Vocabulary, metadata.Translation, metadata.Epoch);
    }

    public void Dispose() => _module.Dispose();
}
