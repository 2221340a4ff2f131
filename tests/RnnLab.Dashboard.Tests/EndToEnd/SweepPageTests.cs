using System.Text.RegularExpressions;
using Microsoft.Playwright;
using RnnLab.Contracts.V1;

namespace RnnLab.Dashboard.Tests.EndToEnd;

/// <summary>A real server runs a small sweep while headless Chromium watches the sweep page and then opens a trial.</summary>
[Collection(BrowserCollection.Name)]
public sealed partial class SweepPageTests : IAsyncLifetime
{
    private const int Trials = 12;
    private const int Epochs = 6;
    private RealServer _server = null!;
    private DashboardHost _dashboard = null!;
    private IPlaywright _playwright = null!;
    private IBrowser _browser = null!;

    public async Task InitializeAsync()
    {
        (_playwright, _browser) = await Browser.LaunchAsync();
        _server = await RealServer.StartAsync("rnnlab_dashboard");
        _dashboard = await DashboardHost.StartAsync(_server.Server.Address);
    }

    [Fact]
    public async Task The_sweep_page_follows_a_sweep_live_to_completion_and_opens_a_trial()
    {
        var page = await _browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1400, Height = 1000 } });
        // The sweeps page first: the browser has loaded the scripts before the sweep starts.
        await page.GotoAsync(_dashboard.Address.ToString());
        await page.Locator("[data-testid=no-sweeps]").WaitForAsync();
        var submitted = await _server.Client.SubmitSweepAsync(new SubmitSweepRequest
        {
            SpecYaml = Specs.Quadratic("dashboard-live", Trials, Epochs, delayMs: 400, parallelism: 3),
        });
        var id = submitted.Sweep.Id;
        var navigations = 0;
        page.FrameNavigated += (_, frame) => navigations += frame == page.MainFrame ? 1 : 0;

        await page.GotoAsync(new Uri(_dashboard.Address, $"sweeps/{id}").ToString());
        Assert.Equal("dashboard-live", await Plots.TextAsync(page, "sweep-title"));

        // Watch the progress move without reloading, until the page says the sweep completed.
        var doneSeen = new SortedSet<int>();
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (await Plots.TextAsync(page, "sweep-state") != "completed")
        {
            Assert.True(DateTime.UtcNow < deadline, $"the page never showed the sweep completed; done counts seen: {string.Join(",", doneSeen)}");
            doneSeen.Add(Done(await Plots.TextAsync(page, "sweep-progress")));
            await Task.Delay(100);
        }

        doneSeen.Add(Done(await Plots.TextAsync(page, "sweep-progress")));
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Browser.ScreenshotPath("sweep-page-completed.png"), FullPage = true });
        Assert.True(doneSeen.Count(d => d > 0 && d < Trials) >= 2, $"expected intermediate progress while the sweep ran; saw done = {string.Join(",", doneSeen)}");
        Assert.Equal(Trials, doneSeen.Max);
        Assert.Equal(1, navigations);

        // Every trial's learning curve, every epoch; two box series; one parallel-coordinates line per trial; fANOVA bars and marginal band.
        await Plots.WaitForTracesAsync(page, "learning-curves", Trials, Epochs);
        await Plots.WaitForTracesAsync(page, "cell-boxes", 2);
        await Plots.WaitForParallelLinesAsync(page, Trials);
        await Plots.WaitForTracesAsync(page, "importance", 1);
        await Plots.WaitForTracesAsync(page, "marginal", 3);
        var boxCells = await page.EvaluateAsync<string[]>("() => document.getElementById('cell-boxes').data[0].x");
        Assert.Equal(["lstm", "gru", "rnn-tanh"], boxCells);

        var cellRows = page.Locator("[data-testid=cell-table] tbody tr");
        Assert.Equal(3, await cellRows.CountAsync());
        Assert.Contains("baseline", await page.Locator("[data-testid=cell-table] tr[data-cell=lstm]").InnerTextAsync());
        Assert.Matches(@"\d", await page.Locator("[data-testid=cell-table] tr[data-cell=gru] td").Nth(4).InnerTextAsync());

        // Leaderboard: sorted best first by default, filtered by cell on the server.
        Assert.Equal($"{Trials} trials", await Plots.TextAsync(page, "leaderboard-total"));
        var objectives = await page.Locator("[data-testid=leaderboard] tbody tr td:nth-child(4)").AllInnerTextsAsync();
        var values = objectives.Select(v => double.Parse(v, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        Assert.Equal(values.Order(), values);
        await page.Locator("[data-testid=filter-cell]").SelectOptionAsync("lstm");
        await page.WaitForFunctionAsync("() => document.querySelector('[data-testid=leaderboard-total]').textContent === '4 trials'");
        var cells = await page.Locator("[data-testid=leaderboard] tbody tr td:nth-child(2)").AllInnerTextsAsync();
        Assert.Equal(Enumerable.Repeat("lstm", 4), cells);

        // The CSV export link streams the server's export.
        using var http = new HttpClient { BaseAddress = _dashboard.Address };
        var csv = await http.GetStringAsync(await page.Locator("[data-testid=export-trials]").GetAttributeAsync("href"));
        Assert.Equal(Trials + 1, csv.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);

        // The report link serves the server's report; the importance bars are AnalyzeSweep's numbers (one analysis).
        var report = await http.GetStringAsync(await page.Locator("[data-testid=report-link]").GetAttributeAsync("href"));
        Assert.Contains("<svg", report);
        Assert.Contains("Sweep report: dashboard-live", report);
        var analysis = await _server.Client.AnalyzeSweepAsync(new AnalyzeSweepRequest { SweepId = id });
        var expected = analysis.MainEffects.Select(m => (m.Parameters.Single(), Math.Round(m.Fraction, 9))).ToList();
        var shown = new List<(string, double)>();
        for (var wait = DateTime.UtcNow.AddSeconds(20); DateTime.UtcNow < wait && !shown.SequenceEqual(expected); await Task.Delay(200))
        {
            var names = await page.EvaluateAsync<string[]>("() => document.getElementById('importance').data[0].x");
            var fractions = await page.EvaluateAsync<double[]>("() => document.getElementById('importance').data[0].y");
            shown = names.Zip(fractions, (n, f) => (n, Math.Round(f, 9))).ToList();
        }

        Assert.Equal(expected, shown);

        // A page opened on the finished sweep draws the server's charts (GetSweepCharts) instead of following the stream:
        // the same curves, boxes, lines and AnalyzeSweep's importance.
        var fresh = await _browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1400, Height = 1000 } });
        await fresh.GotoAsync(new Uri(_dashboard.Address, $"sweeps/{id}").ToString());
        await Plots.WaitForTracesAsync(fresh, "learning-curves", Trials, Epochs);
        await Plots.WaitForTracesAsync(fresh, "cell-boxes", 2);
        await Plots.WaitForParallelLinesAsync(fresh, Trials);
        await Plots.WaitForTracesAsync(fresh, "importance", 1);
        await Plots.WaitForTracesAsync(fresh, "marginal", 3);
        // Filtering by axis swaps the lines for plotly's WebGL parcoords over the same trials, and back.
        await fresh.Locator("[data-testid=parallel-mode]").ClickAsync();
        await Plots.WaitForTracesAsync(fresh, "parallel-coordinates", 1);
        Assert.Equal("parcoords", await fresh.EvaluateAsync<string>("() => document.getElementById('parallel-coordinates').data[0].type"));
        Assert.Equal(Trials, await fresh.EvaluateAsync<int>("() => document.getElementById('parallel-coordinates').data[0].dimensions[0].values.length"));
        await fresh.Locator("[data-testid=parallel-mode]").ClickAsync();
        await Plots.WaitForParallelLinesAsync(fresh, Trials);
        Assert.Equal("server", await fresh.Locator("[data-testid=curves-note]").GetAttributeAsync("data-source"));
        Assert.Equal(boxCells, await fresh.EvaluateAsync<string[]>("() => document.getElementById('cell-boxes').data[0].x"));
        Assert.Equal(3, await fresh.Locator("[data-testid=cell-table] tbody tr").CountAsync());
        Assert.Equal(expected.Select(e => e.Item1), await fresh.EvaluateAsync<string[]>("() => document.getElementById('importance').data[0].x"));
        Assert.Equal(expected.Select(e => e.Item2), (await fresh.EvaluateAsync<double[]>("() => document.getElementById('importance').data[0].y")).Select(f => Math.Round(f, 9)));
        Assert.Equal($"{Trials} trials", await Plots.TextAsync(fresh, "leaderboard-total"));
        await fresh.ScreenshotAsync(new PageScreenshotOptions { Path = Browser.ScreenshotPath("sweep-page-finished.png"), FullPage = true });
        await fresh.CloseAsync();

        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Browser.ScreenshotPath("sweep-page.png"), FullPage = true });

        // The best lstm trial: configuration, state, history and its curve.
        await page.Locator("[data-testid=leaderboard] tbody tr").First.Locator("a").ClickAsync();
        await page.WaitForURLAsync(new Regex("/trials/"));
        Assert.StartsWith("Trial #", await Plots.TextAsync(page, "trial-title"));
        Assert.Equal("completed", await Plots.TextAsync(page, "trial-state"));
        await Plots.WaitForTracesAsync(page, "trial-curves", 1, Epochs);
        Assert.Contains("lr", await Plots.TextAsync(page, "trial-config"));
        await page.WaitForFunctionAsync("() => document.querySelector('[data-testid=trial-history]').textContent.includes('trial-finished')",
            null, new PageWaitForFunctionOptions { Timeout = 30_000 });
        Assert.Contains("trial-started", await Plots.TextAsync(page, "trial-history"));
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Browser.ScreenshotPath("trial-page.png"), FullPage = true });

        // The sweeps list shows the finished sweep with its progress.
        await page.GotoAsync(_dashboard.Address.ToString());
        Assert.Contains($"{Trials} done", await Plots.TextAsync(page, $"progress-{id}"));
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Browser.ScreenshotPath("sweeps-page.png"), FullPage = true });
    }

    private static int Done(string progress) => int.Parse(DoneCount().Match(progress).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);

    [GeneratedRegex(@"(\d+) done")]
    private static partial Regex DoneCount();

    public async Task DisposeAsync()
    {
        await _browser.DisposeAsync();
        _playwright.Dispose();
        await _dashboard.DisposeAsync();
        await _server.DisposeAsync();
    }
}
