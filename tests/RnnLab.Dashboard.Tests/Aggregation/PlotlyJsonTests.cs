using System.Text.Json;
using Plotly.Blazor;
using Plotly.Blazor.Traces;
using RnnLab.Dashboard.Components.Charts;

namespace RnnLab.Dashboard.Tests.Aggregation;

public sealed class PlotlyJsonTests
{
    [Fact]
    public void A_trace_given_as_its_interface_keeps_plotlys_names_and_spellings()
    {
        ITrace trace = new Scatter
        {
            Name = "lstm",
            X = [1, 2],
            Y = [0.5, 0.25],
            Mode = Plotly.Blazor.Traces.ScatterLib.ModeFlag.Lines | Plotly.Blazor.Traces.ScatterLib.ModeFlag.Markers,
            Fill = Plotly.Blazor.Traces.ScatterLib.FillEnum.ToNextY,
        };

        var json = PlotlyJson.From(trace);

        Assert.Equal("scatter", json.GetProperty("type").GetString());
        Assert.Equal("lstm", json.GetProperty("name").GetString());
        Assert.Equal([1, 2], json.GetProperty("x").EnumerateArray().Select(e => e.GetInt32()));
        Assert.Equal([0.5, 0.25], json.GetProperty("y").EnumerateArray().Select(e => e.GetDouble()));
        Assert.Equal("lines+markers", json.GetProperty("mode").GetString());
        Assert.Equal("tonexty", json.GetProperty("fill").GetString());
    }

    [Fact]
    public void Unset_attributes_are_left_to_plotlys_defaults()
    {
        var json = PlotlyJson.From(new Box { Name = "gru", Y = [1.0] });

        Assert.Equal("box", json.GetProperty("type").GetString());
        Assert.False(json.TryGetProperty("marker", out _));
        Assert.False(json.TryGetProperty("x", out _));
    }

    [Fact]
    public void A_layout_and_a_config_use_plotlys_names()
    {
        var layout = PlotlyJson.From(new Layout { Height = 380, Margin = new Plotly.Blazor.LayoutLib.Margin { T = 10 } });
        var config = PlotlyJson.From(new Config { Responsive = true, DisplayLogo = false });

        Assert.Equal(380, layout.GetProperty("height").GetInt32());
        Assert.Equal(10, layout.GetProperty("margin").GetProperty("t").GetInt32());
        Assert.True(config.GetProperty("responsive").GetBoolean());
        Assert.False(config.GetProperty("displaylogo").GetBoolean());
        Assert.Equal(JsonValueKind.Object, layout.ValueKind);
    }
}
