using Microsoft.Playwright;
using RnnLab.Contracts.V1;

namespace RnnLab.Dashboard.Tests.EndToEnd;

/// <summary>The server restarts under an open sweep page: the page says so and resumes the stream without reloading.</summary>
[Collection(BrowserCollection.Name)]
public sealed class ReconnectTests : IAsyncLifetime
{
    private RealServer _server = null!;
    private DashboardHost _dashboard = null!;
    private IPlaywright _playwright = null!;
    private IBrowser _browser = null!;

    public async Task InitializeAsync()
    {
        (_playwright, _browser) = await Browser.LaunchAsync();
        _server = await RealServer.StartAsync("rnnlab_dashboard_restart");
        _dashboard = await DashboardHost.StartAsync(_server.Server.Address);
    }

    [Fact]
    public async Task A_server_restart_shows_a_banner_and_the_page_resumes_to_completion()
    {
        var submitted = await _server.Client.SubmitSweepAsync(new SubmitSweepRequest
        {
            SpecYaml = Specs.Quadratic("dashboard-restart", trials: 6, epochs: 6, delayMs: 700, parallelism: 2),
        });
        var page = await _browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1400, Height = 1000 } });
        var navigations = 0;
        page.FrameNavigated += (_, frame) => navigations += frame == page.MainFrame ? 1 : 0;
        await page.GotoAsync(new Uri(_dashboard.Address, $"sweeps/{submitted.Sweep.Id}").ToString());
        await page.WaitForFunctionAsync("() => { const gd = document.getElementById('learning-curves'); return gd && gd.data && gd.data.length > 0; }",
            null, new PageWaitForFunctionOptions { Timeout = 60_000 });

        await _server.StopAsync();
        await page.Locator("[data-testid=reconnect-banner]").WaitForAsync(new LocatorWaitForOptions { Timeout = 30_000 });
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Browser.ScreenshotPath("sweep-page-reconnecting.png"), FullPage = true });

        await _server.RestartAsync();
        await page.Locator("[data-testid=reconnect-banner]").WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Detached, Timeout = 60_000 });
        await page.WaitForFunctionAsync("() => document.querySelector('[data-testid=sweep-state]').textContent === 'completed'",
            null, new PageWaitForFunctionOptions { Timeout = 120_000 });
        Assert.Contains("6 done", await Plots.TextAsync(page, "sweep-progress"));
        // Epochs after the restart arrived through the resumed stream: every curve reaches the last epoch. (Points a
        // crash lost before they were stored cannot come back, so the count of points is not asserted.)
        await page.WaitForFunctionAsync(
            "() => { const gd = document.getElementById('learning-curves'); return gd && gd.data && gd.data.length === 6 && gd.data.every(t => t.x[t.x.length - 1] === 6); }",
            null, new PageWaitForFunctionOptions { Timeout = 30_000 });
        Assert.Equal(1, navigations);
    }

    public async Task DisposeAsync()
    {
        await _browser.DisposeAsync();
        _playwright.Dispose();
        await _dashboard.DisposeAsync();
        await _server.DisposeAsync();
    }
}
