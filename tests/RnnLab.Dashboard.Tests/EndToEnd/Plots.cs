using Microsoft.Playwright;

namespace RnnLab.Dashboard.Tests.EndToEnd;

/// <summary>Reads what plotly.js drew from its graph div (<c>gd.data</c>) in the page.</summary>
internal static class Plots
{
    private const int Timeout = 60_000;

    public static Task<int> TraceCountAsync(IPage page, string id) =>
        page.EvaluateAsync<int>("id => { const gd = document.getElementById(id); return gd && gd.data ? gd.data.length : -1; }", id);

    /// <summary>Waits until the chart holds <paramref name="traces"/> traces and each drawn curve has <paramref name="points"/> x values when given.</summary>
    public static async Task WaitForTracesAsync(IPage page, string id, int traces, int? points = null)
    {
        try
        {
            await page.WaitForFunctionAsync(
                "([id, n, p]) => { const gd = document.getElementById(id); return !!gd && !!gd.data && gd.data.length === n && (p === null || gd.data.every(t => t.x && t.x.length === p)); }",
                new object?[] { id, traces, points },
                new PageWaitForFunctionOptions { Timeout = Timeout, PollingInterval = 100 });
        }
        catch (TimeoutException)
        {
            throw new Xunit.Sdk.XunitException($"chart '{id}' did not get {traces} traces{(points is null ? "" : $" of {points} points")} in time; it has {await DescribeAsync(page, id)}");
        }
    }

    /// <summary>Waits until the parallel coordinates show <paramref name="lines"/> trials as SVG lines (a null ends each line).</summary>
    public static async Task WaitForParallelLinesAsync(IPage page, int lines)
    {
        // A line ends with a null followed by the next line's first axis, or by the end of its trace.
        const string Count = "() => { const gd = document.getElementById('parallel-coordinates'); return gd && gd.data ? gd.data.filter(t => t.type === 'scatter' && t.mode === 'lines').reduce((n, t) => n + t.x.filter((x, i) => x === null && (i + 1 === t.x.length || t.x[i + 1] === 0)).length, 0) : -1; }";
        try
        {
            await page.WaitForFunctionAsync($"n => ({Count})() === n", lines, new PageWaitForFunctionOptions { Timeout = Timeout, PollingInterval = 100 });
        }
        catch (TimeoutException)
        {
            throw new Xunit.Sdk.XunitException($"the parallel coordinates did not show {lines} lines in time; they show {await page.EvaluateAsync<int>(Count)}");
        }
    }

    /// <summary>"n traces: x lengths a, b, c" for failure messages.</summary>
    public static Task<string> DescribeAsync(IPage page, string id) =>
        page.EvaluateAsync<string>("id => { const gd = document.getElementById(id); return gd && gd.data ? gd.data.length + ' traces; x lengths ' + gd.data.map(t => t.x ? t.x.length : 'none').join(',') : 'no plot'; }", id);

    public static Task<string> TextAsync(IPage page, string testId) =>
        page.Locator($"[data-testid={testId}]").InnerTextAsync(new LocatorInnerTextOptions { Timeout = Timeout });
}
