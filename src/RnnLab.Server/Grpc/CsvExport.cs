using System.Globalization;
using System.Text;
using RnnLab.Storage;

namespace RnnLab.Server.Grpc;

/// <summary>Writes a sweep's trials or metric points as RFC 4180 CSV, row by row.</summary>
internal static class CsvExport
{
    public static IEnumerable<string> TrialRows(IReadOnlyList<TrialRecord> trials)
    {
        var parameters = trials.SelectMany(t => ProtoMapping.ParseStruct(t.ParametersJson).Fields.Keys).Distinct().Order(StringComparer.Ordinal).ToList();
        var results = trials.SelectMany(t => ProtoMapping.NumbersOf(t.ResultJson).Select(n => n.Name)).Distinct().Order(StringComparer.Ordinal).ToList();
        yield return Row(["trial_id", "number", "state", "objective", "attempt", "error",
            .. parameters.Select(p => Safe("param." + p)), .. results.Select(r => Safe("result." + r))]);
        foreach (var trial in trials)
        {
            var values = ProtoMapping.ParseStruct(trial.ParametersJson).Fields;
            var numbers = ProtoMapping.NumbersOf(trial.ResultJson).ToDictionary(n => n.Name, n => n.Value);
            yield return Row([
                trial.Id.ToString(), Number(trial.Number), trial.State.ToString().ToLowerInvariant(),
                trial.Objective is { } objective ? Number(objective) : "", Number(trial.Attempt), Safe(trial.Error ?? ""),
                .. parameters.Select(p => values.TryGetValue(p, out var v) ? Text(v) : ""),
                .. results.Select(r => numbers.TryGetValue(r, out var v) ? Number(v) : ""),
            ]);
        }
    }

    public static string MetricHeader() => Row(["trial_id", "number", "epoch", "name", "value"]);

    public static IEnumerable<string> MetricRows(TrialRecord trial, IReadOnlyList<MetricPoint> points) =>
        points.Select(p => Row([trial.Id.ToString(), Number(trial.Number), Number(p.Epoch), Safe(p.Name), Number(p.Value)]));

    private static string Text(Google.Protobuf.WellKnownTypes.Value value) => value.KindCase switch
    {
        Google.Protobuf.WellKnownTypes.Value.KindOneofCase.NumberValue => Number(value.NumberValue),
        Google.Protobuf.WellKnownTypes.Value.KindOneofCase.StringValue => Safe(value.StringValue),
        Google.Protobuf.WellKnownTypes.Value.KindOneofCase.BoolValue => value.BoolValue ? "true" : "false",
        Google.Protobuf.WellKnownTypes.Value.KindOneofCase.NullValue => "",
        _ => value.ToString(),
    };

    /// <summary>
    /// Text a spreadsheet would run as a formula (a leading =, +, -, @, tab or carriage return) gets a leading
    /// apostrophe, so an exported sweep is safe to open. Numbers are written by <see cref="Number(double)"/> and
    /// never pass through here, so a negative value stays a number.
    /// </summary>
    internal static string Safe(string text) =>
        text.Length > 0 && text[0] is '=' or '+' or '-' or '@' or '\t' or '\r' ? "'" + text : text;

    private static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    private static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Row(IEnumerable<string> fields)
    {
        var builder = new StringBuilder();
        var first = true;
        foreach (var field in fields)
        {
            if (!first)
            {
                builder.Append(',');
            }

            first = false;
            if (field.AsSpan().IndexOfAny(",\"\r\n") >= 0)
            {
                builder.Append('"').Append(field.Replace("\"", "\"\"")).Append('"');
            }
            else
            {
                builder.Append(field);
            }
        }

        return builder.Append("\r\n").ToString();
    }
}
