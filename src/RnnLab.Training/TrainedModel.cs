using RnnLab.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace RnnLab.Training;

/// <summary>A network loaded from a checkpoint for inference, with its best weights (those early stopping kept)
/// and, for character models, the vocabulary.</summary>
public sealed class TrainedModel : IDisposable
{
    private TrainedModel(TrialConfig config, RecurrentNetwork network, IReadOnlyList<string>? vocabulary, int epoch)
    {
        Config = config;
        Network = network;
        Vocabulary = vocabulary;
        Epoch = epoch;
    }

    public TrialConfig Config { get; }

    public RecurrentNetwork Network { get; }

    /// <summary>The symbols of a character language model; null for other tasks.</summary>
    public IReadOnlyList<string>? Vocabulary { get; }

    public int Epoch { get; }

    public static TrainedModel Load(Stream stream)
    {
        var checkpoint = TrialCheckpoint.ReadFrom(stream);
        var metadata = checkpoint.Metadata();
        var network = metadata.Shape.Build(checkpoint.Config);
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
        return new TrainedModel(checkpoint.Config, network, metadata.Vocabulary, metadata.Epoch);
    }

    public void Dispose() => Network.Dispose();
}
