using Grpc.Net.Client;
using Microsoft.Playwright;
using RnnLab.Contracts.V1;
using RnnLab.Server.Hosting;

namespace RnnLab.Dashboard.Tests.EndToEnd;

/// <summary>The all-in-one as <c>rnnlab serve</c> starts it (SQLite, one process) serves the dashboard next to its gRPC API.</summary>
[Collection(BrowserCollection.Name)]
public sealed class AllInOneTests
{
    [Fact]
    public async Task The_all_in_one_server_serves_the_sweeps_page_on_its_dashboard_port()
    {
        var folder = Directory.CreateTempSubdirectory("rnnlab-all-in-one-");
        var settings = new Dictionary<string, string?>
        {
            ["Role"] = "All",
            ["Storage:Provider"] = "Sqlite",
            ["Storage:ConnectionString"] = $"Data Source={Path.Combine(folder.FullName, "rnnlab.db")}",
            ["Slots"] = "2",
            ["BenchmarkTasks"] = "true",
            ["Logging:LogLevel:Default"] = "Warning",
        };
        var (playwright, browser) = await Browser.LaunchAsync();
        try
        {
            await using var server = await LocalServer.StartAsync(settings, dashboardPort: 0);
            Assert.NotNull(server.DashboardAddress);
            Assert.NotEqual(server.Address.Port, server.DashboardAddress.Port);
            using var channel = GrpcChannel.ForAddress(server.Address);
            var client = new SweepService.SweepServiceClient(channel);
            var submitted = await client.SubmitSweepAsync(new SubmitSweepRequest
            {
                SpecYaml = Specs.Quadratic("all-in-one", trials: 2, epochs: 2, delayMs: 0, parallelism: 2),
            });

            var page = await browser.NewPageAsync();
            var response = await page.GotoAsync(server.DashboardAddress.ToString());
            Assert.Equal(200, response!.Status);
            var row = page.Locator($"[data-testid=sweeps-table] tr[data-sweep='{submitted.Sweep.Id}']");
            await row.WaitForAsync(new LocatorWaitForOptions { Timeout = 30_000 });
            Assert.Contains("all-in-one", await row.InnerTextAsync());
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Browser.ScreenshotPath("all-in-one-sweeps.png"), FullPage = true });
        }
        finally
        {
            await browser.DisposeAsync();
            playwright.Dispose();
            folder.Delete(recursive: true);
        }
    }
}
