using System.Text.Json;

namespace RnnLab.Training;

/// <summary>The non-tensor part of a checkpoint, stored as JSON.</summary>
internal sealed record CheckpointMetadata
{
    public required Dictionary<string, object?> Parameters { get; init; }

    public required NetworkShape Shape { get; init; }

    /// <summary>Epochs completed.</summary>
    public int Epoch { get; init; }

    public double LearningRate { get; init; }

    public double? BestValue { get; init; }

    public int BestEpoch { get; init; }

    public int BadEpochs { get; init; }

    public double? PlateauBest { get; init; }

    public int PlateauBadEpochs { get; init; }

    /// <summary>Early stopping ran out of patience: a resumed run only evaluates.</summary>
    public bool Stopped { get; init; }

    public double LastTrainLoss { get; init; } = double.NaN;

    public Dictionary<string, double> BestMetrics { get; init; } = [];

    /// <summary>Symbols of a character model, so it can generate text without its data.</summary>
    public string[]? Vocabulary { get; init; }

    /// <summary>The target side of a translation model (its source symbols are <see cref="Vocabulary"/>).</summary>
    public TranslationVocabularies? Translation { get; init; }

    public TrialConfig Config() => TrialConfig.FromParameters(Parameters.ToDictionary(p => p.Key, p => Plain(p.Value)));

    private static object? Plain(object? value) => value is JsonElement e
        ? e.ValueKind switch
        {
            JsonValueKind.String => e.GetString(),
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            JsonValueKind.Number when e.TryGetInt64(out var l) => l,
            JsonValueKind.Number => e.GetDouble(),
            _ => null,
        }
        : value;
}
