using System.Text.Json;
using Google.Protobuf.WellKnownTypes;
using RnnLab.Storage;
using RnnLab.Sweeps.Trials;
using V1 = RnnLab.Contracts.V1;

namespace RnnLab.Server.Grpc;

/// <summary>Maps stored records to API messages.</summary>
internal static class ProtoMapping
{
    public static V1.SweepState ToProto(this SweepState state) => state switch
    {
        SweepState.Running => V1.SweepState.Running,
        SweepState.Paused => V1.SweepState.Paused,
        SweepState.Completed => V1.SweepState.Completed,
        SweepState.Cancelled => V1.SweepState.Cancelled,
        SweepState.Failed => V1.SweepState.Failed,
        _ => V1.SweepState.Unspecified,
    };

    public static SweepState? FromProto(this V1.SweepState state) => state switch
    {
        V1.SweepState.Running => SweepState.Running,
        V1.SweepState.Paused => SweepState.Paused,
        V1.SweepState.Completed => SweepState.Completed,
        V1.SweepState.Cancelled => SweepState.Cancelled,
        V1.SweepState.Failed => SweepState.Failed,
        _ => null,
    };

    public static V1.TrialState ToProto(this TrialState state) => state switch
    {
        TrialState.Pending => V1.TrialState.Pending,
        TrialState.Running => V1.TrialState.Running,
        TrialState.Completed => V1.TrialState.Completed,
        TrialState.Pruned => V1.TrialState.Pruned,
        TrialState.Diverged => V1.TrialState.Diverged,
        TrialState.Failed => V1.TrialState.Failed,
        TrialState.Cancelled => V1.TrialState.Cancelled,
        _ => V1.TrialState.Unspecified,
    };

    public static TrialState? FromProto(this V1.TrialState state) => state switch
    {
        V1.TrialState.Pending => TrialState.Pending,
        V1.TrialState.Running => TrialState.Running,
        V1.TrialState.Completed => TrialState.Completed,
        V1.TrialState.Pruned => TrialState.Pruned,
        V1.TrialState.Diverged => TrialState.Diverged,
        V1.TrialState.Failed => TrialState.Failed,
        V1.TrialState.Cancelled => TrialState.Cancelled,
        _ => null,
    };

    public static Timestamp? ToTimestamp(this DateTime? time) => time is { } value ? value.ToTimestamp() : null;

    public static Timestamp ToTimestamp(this DateTime time) =>
        Timestamp.FromDateTime(DateTime.SpecifyKind(time, DateTimeKind.Utc));

    public static V1.Trial ToProto(this TrialRecord trial)
    {
        var message = new V1.Trial
        {
            Id = trial.Id.ToString(),
            SweepId = trial.SweepId.ToString(),
            Number = trial.Number,
            State = trial.State.ToProto(),
            Cell = CellOf(trial),
            Parameters = ParseStruct(trial.ParametersJson),
            Attempt = trial.Attempt,
            Error = trial.Error ?? "",
            Worker = trial.Worker ?? "",
            CreatedAt = trial.CreatedAt.ToTimestamp(),
            StartedAt = trial.StartedAt.ToTimestamp(),
            FinishedAt = trial.FinishedAt.ToTimestamp(),
        };
        if (trial.Objective is { } objective)
        {
            message.Objective = objective;
        }

        foreach (var (name, value) in NumbersOf(trial.ResultJson))
        {
            message.Result[name] = value;
        }

        return message;
    }

    /// <summary>The trial's cell, read from its parameters ("" when the sweep does not vary or fix one).</summary>
    public static string CellOf(TrialRecord trial)
    {
        try
        {
            using var document = JsonDocument.Parse(trial.ParametersJson);
            return document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("cell", out var cell)
                && cell.ValueKind == JsonValueKind.String
                ? cell.GetString()!
                : "";
        }
        catch (JsonException)
        {
            return "";
        }
    }

    public static Struct ParseStruct(string? json)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            return new Struct();
        }

        try
        {
            return Struct.Parser.ParseJson(json);
        }
        catch (Google.Protobuf.InvalidJsonException)
        {
            return new Struct();
        }
        catch (Google.Protobuf.InvalidProtocolBufferException)
        {
            return new Struct();
        }
    }

    /// <summary>The numeric top-level members of a JSON object (nested ones as "a.b").</summary>
    public static IEnumerable<(string Name, double Value)> NumbersOf(string? json)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            return [];
        }

        try
        {
            using var document = JsonDocument.Parse(json);
            var numbers = new List<(string, double)>();
            Collect(document.RootElement, "", numbers);
            return numbers;
        }
        catch (JsonException)
        {
            return [];
        }
    }

    private static void Collect(JsonElement element, string prefix, List<(string, double)> numbers)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            return;
        }

        foreach (var property in element.EnumerateObject())
        {
            var name = prefix.Length == 0 ? property.Name : prefix + "." + property.Name;
            if (property.Value.ValueKind == JsonValueKind.Number && property.Value.TryGetDouble(out var value))
            {
                numbers.Add((name, value));
            }
            else if (property.Value.ValueKind == JsonValueKind.Object)
            {
                Collect(property.Value, name, numbers);
            }
        }
    }
}
