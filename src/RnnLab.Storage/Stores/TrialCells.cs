using System.Text.Json;

namespace RnnLab.Storage.Stores;

/// <summary>Reads the <c>cell</c> parameter out of a trial's parameter JSON, the column pages filter on.</summary>
internal static class TrialCells
{
    public static string? Of(string parametersJson)
    {
        try
        {
            using var document = JsonDocument.Parse(parametersJson);
            return document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("cell", out var cell)
                && cell.ValueKind == JsonValueKind.String
                ? cell.GetString()
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
