using System.Text.Json;
using System.Text.Json.Serialization;

namespace RnnLab.Dashboard.Components.Charts;

/// <summary>
/// A trace, layout or config as the JSON plotly.js reads: the Plotly.Blazor types carry plotly's attribute names and
/// enum spellings; unset attributes are left out so plotly.js applies its defaults.
/// </summary>
internal static class PlotlyJson
{
    private static readonly JsonSerializerOptions Options = new() { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    /// <summary>Serialized as its runtime type, so an <c>ITrace</c> keeps its type's attributes.</summary>
    public static JsonElement From(object value) => JsonSerializer.SerializeToElement(value, value.GetType(), Options);
}
