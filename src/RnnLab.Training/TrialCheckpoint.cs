using System.Text.Json;
using System.Text.Json.Serialization;
using RnnLab.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace RnnLab.Training;

/// <summary>A complete, resumable snapshot of a trial after an epoch: config, model and optimizer state, best
/// weights and early-stopping/learning-rate state. Random streams are derived from (seed, epoch), so resuming
/// at an epoch boundary repeats the uninterrupted run exactly.</summary>
public sealed class TrialCheckpoint
{
    private const string Magic = "rnnlab-checkpoint";
    private const int Version = 1;

    private static readonly JsonSerializerOptions Json = new() { NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals };

    private readonly byte[] _bytes;

    private TrialCheckpoint(byte[] bytes, int epoch, TrialConfig config)
    {
        _bytes = bytes;
        Epoch = epoch;
        Config = config;
    }

    /// <summary>Epochs completed when the checkpoint was taken.</summary>
    public int Epoch { get; }

    public TrialConfig Config { get; }

    public ReadOnlyMemory<byte> Bytes => _bytes;

    public void WriteTo(Stream stream) => stream.Write(_bytes);

    public static TrialCheckpoint ReadFrom(Stream stream)
    {
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        var bytes = buffer.ToArray();
        var (metadata, _) = ReadHeader(new BinaryReader(new MemoryStream(bytes)));
        return new TrialCheckpoint(bytes, metadata.Epoch, metadata.Config());
    }

    internal static TrialCheckpoint Write(CheckpointMetadata metadata, nn.Module model, TorchSharp.Modules.OptimizerHelper optimizer, IReadOnlyDictionary<string, Tensor>? best)
    {
        using var buffer = new MemoryStream();
        using (var writer = new BinaryWriter(buffer, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(Magic);
            writer.Write(Version);
            writer.Write(JsonSerializer.Serialize(metadata, Json));
            model.save(writer);
            writer.Write(best?.Count ?? 0);
            foreach (var (name, tensor) in best ?? new Dictionary<string, Tensor>())
            {
                writer.Write(name);
                tensor.Save(writer);
            }

            optimizer.save_state_dict(writer);
        }

        return new TrialCheckpoint(buffer.ToArray(), metadata.Epoch, metadata.Config());
    }

    /// <summary>Restores model, best weights and (when given) optimizer; returns the metadata.</summary>
    internal CheckpointMetadata Restore(nn.Module model, TorchSharp.Modules.OptimizerHelper? optimizer, Dictionary<string, Tensor> best)
    {
        using var reader = new BinaryReader(new MemoryStream(_bytes));
        var (metadata, _) = ReadHeader(reader);
        model.load(reader);
        var count = reader.ReadInt32();
        for (var i = 0; i < count; i++)
        {
            var name = reader.ReadString();
            best[name] = TensorExtensionMethods.Load(reader);
        }

        // Last in the file, so a model can be loaded for inference without knowing the optimizer.
        optimizer?.load_state_dict(reader);
        return metadata;
    }

    internal CheckpointMetadata Metadata()
    {
        using var reader = new BinaryReader(new MemoryStream(_bytes));
        return ReadHeader(reader).Metadata;
    }

    private static (CheckpointMetadata Metadata, int Version) ReadHeader(BinaryReader reader)
    {
        string magic;
        try
        {
            magic = reader.ReadString();
        }
        catch (EndOfStreamException)
        {
            throw new InvalidDataException("not an rnnlab checkpoint: the file is empty or truncated");
        }

        if (magic != Magic)
        {
            throw new InvalidDataException("not an rnnlab checkpoint (wrong header)");
        }

        var version = reader.ReadInt32();
        if (version != Version)
        {
            throw new InvalidDataException($"checkpoint version {version} is not supported (expected {Version})");
        }

        var metadata = JsonSerializer.Deserialize<CheckpointMetadata>(reader.ReadString(), Json)
            ?? throw new InvalidDataException("checkpoint metadata is empty");
        return (metadata, version);
    }
}
