namespace RnnLab.Dashboard.Components.Charts;

/// <summary>
/// Where the page finds plotly.js and the module that draws with it, both in RnnLab.Dashboard.Assets, whose files
/// every host serves under the same path.
/// </summary>
internal static class ChartAssets
{
    /// <summary>plotly.js with only the trace types the dashboard draws; built by scripts/build-plotly.sh.</summary>
    public const string PlotlyScript = "_content/RnnLab.Dashboard.Assets/lib/plotly-rnnlab.min.js";

    /// <summary>The id of the page's plotly.js script element, which the module waits on.</summary>
    public const string PlotlyScriptId = "plotly-js";

    public const string ChartsModule = "./_content/RnnLab.Dashboard.Assets/js/charts.js";
}
