using System.Text.Json;
using System.Text.Json.Serialization;
using RnnLab.Storage;
using TrialState = RnnLab.Sweeps.Trials.TrialState;

namespace RnnLab.Grains;

/// <summary>Stores a <see cref="SweepEvent"/> as kind + JSON payload and reads it back.</summary>
internal static class SweepEventCodec
{
    private static readonly JsonSerializerOptions Json = new()
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter() },
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public static SweepEventRecord ToRecord(SweepEvent e) => new(
        e.SweepId,
        e.Sequence,
        e.Kind,
        JsonSerializer.Serialize(new Payload(e.TrialNumber, e.Epoch, e.Value, e.TrialState, e.SweepState, e.Detail), Json),
        e.Time);

    public static SweepEvent FromRecord(SweepEventRecord r)
    {
        var p = JsonSerializer.Deserialize<Payload>(r.PayloadJson, Json) ?? new Payload(null, null, null, null, null, null);
        return new SweepEvent(r.SweepId, r.Sequence, r.Kind, r.Time, p.Trial, p.Epoch, p.Value, p.TrialState, p.SweepState, p.Detail);
    }

    private sealed record Payload(int? Trial, int? Epoch, double? Value, TrialState? TrialState, SweepState? SweepState, string? Detail);
}
