using System.Text.Json;
using System.Text.Json.Nodes;
using Google.Protobuf;

namespace RnnLab.Cli.Api;

/// <summary>Writes API messages as JSON (protobuf's JSON mapping, defaults included) for scripts.</summary>
public static class JsonOutput
{
    private static readonly JsonFormatter Formatter = new(JsonFormatter.Settings.Default.WithFormatDefaultValues(true));

    public static JsonNode ToNode(IMessage message) => JsonNode.Parse(Formatter.Format(message))!;

    public static void Write(IMessage message) => Write(ToNode(message));

    public static void Write(JsonNode node) =>
        Console.Out.WriteLine(node.ToJsonString(new JsonSerializerOptions { WriteIndented = false }));
}
