using System.Diagnostics;
using System.Globalization;
using Grpc.Net.Client;
using Microsoft.Playwright;
using RnnLab.Contracts.V1;
using RnnLab.Server.Hosting;

namespace RnnLab.Bench;

/// <summary>
/// `dashboard`: how fast the sweep page of a finished sweep shows its first content and all its charts in headless
/// Chromium, for a 5,400-trial sweep (the Odyssey's size) against a 12-trial one, both finished in PostgreSQL; and how
/// long GetSweepCharts takes right after the sweep ends, computed on demand, and kept.
/// Options: --trials N (default 5400), --epochs N (default 5), --runs N (default 5).
/// </summary>
internal static class DashboardBench
{
    public static int Run(string[] args) => RunAsync(args).GetAwaiter().GetResult();

    private static async Task<int> RunAsync(string[] args)
    {
        var trials = IntOption(args, "--trials", 5400);
        var epochs = IntOption(args, "--epochs", 5);
        var runs = IntOption(args, "--runs", 5);
        var admin = OrchestrationPostgres.AdminConnection();
        var cs = await OrchestrationPostgres.CreateDatabaseAsync(admin, "rnnlab_dashboard_bench");
        try
        {
            await using var server = await LocalServer.StartAsync(new Dictionary<string, string?>
            {
                ["Role"] = "All",
                ["Storage:Provider"] = "Postgres",
                ["Storage:ConnectionString"] = cs,
                ["Slots"] = "8",
                ["BenchmarkTasks"] = "true",
                ["Logging:LogLevel:Default"] = "Warning",
            });
            using var channel = GrpcChannel.ForAddress(server.Address);
            var client = new SweepService.SweepServiceClient(channel);
            var clock = Stopwatch.StartNew();
            var small = await RunSweepAsync(client, "dashboard-small", 12, epochs);
            var large = await RunSweepAsync(client, "dashboard-odyssey-size", trials, epochs);
            Console.WriteLine($"dashboard: sweeps of 12 and {trials} quadratic trials ({epochs} epochs) finished in {clock.Elapsed.TotalSeconds:F0} s");

            // What a first visitor 5 s after the end waits for on the server (the server computes the charts when the
            // sweep finishes), what a computation on demand costs (another baseline cell, never computed before), and
            // what every later visitor waits for (kept).
            await Task.Delay(TimeSpan.FromSeconds(5));
            var charts = Stopwatch.StartNew();
            await client.GetSweepChartsAsync(new GetSweepChartsRequest { SweepId = large });
            var first = charts.Elapsed.TotalMilliseconds;
            charts.Restart();
            await client.GetSweepChartsAsync(new GetSweepChartsRequest { SweepId = large, BaselineCell = "lstm-cifg" });
            var computed = charts.Elapsed.TotalMilliseconds;
            charts.Restart();
            await client.GetSweepChartsAsync(new GetSweepChartsRequest { SweepId = large });
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"dashboard: GetSweepCharts of {trials} trials: {first:F0} ms for the first call 5 s after the end, {computed:F0} ms computed on demand, {charts.Elapsed.TotalMilliseconds:F0} ms kept"));

            await using var dashboard = await DashboardBenchHost.StartAsync(server.Address);
            using var playwright = await Playwright.CreateAsync();
            await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = "/usr/bin/chromium",
                Headless = true,
                Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
            });

            var smallTimes = await MeasureAsync(browser, dashboard.Address, small, runs);
            var largeTimes = await MeasureAsync(browser, dashboard.Address, large, runs);
            Print("12 trials", smallTimes);
            Print($"{trials} trials", largeTimes);
            PrintDraws("12 trials", smallTimes);
            PrintDraws($"{trials} trials", largeTimes);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"dashboard: first content {Median(largeTimes.Select(t => t.FirstContent)):F0} ms for {trials} trials ({Median(largeTimes.Select(t => t.FirstContent)) / Median(smallTimes.Select(t => t.FirstContent)):F2}x the 12-trial sweep), all charts {Median(largeTimes.Select(t => t.Charts)):F0} ms"));
            return 0;
        }
        finally
        {
            await OrchestrationPostgres.DropDatabaseAsync(admin, cs);
        }
    }

    private static async Task<string> RunSweepAsync(SweepService.SweepServiceClient client, string name, int trials, int epochs)
    {
        var spec = $$"""
            name: {{name}}
            task: { name: quadratic, options: { epochs: {{epochs}}, delay_ms: 0 } }
            metric: { name: objective, direction: minimize }
            search:
              sampler: { type: stratified, by: cell, seed: 7 }
              space:
                cell: { categorical: [lstm, lstm-nig, lstm-nfg, lstm-nog, lstm-niaf, lstm-noaf, lstm-np, lstm-cifg, lstm-fgr] }
                lr: { loguniform: [0.000001, 0.01] }
                hidden: { int: [20, 200] }
                momentum: { uniform: [0, 0.99] }
                input_noise: { uniform: [0, 1] }
            budget: { trials: {{trials}}, parallelism: 64 }
            seed: 7
            """;
        var submitted = await client.SubmitSweepAsync(new SubmitSweepRequest { SpecYaml = spec });
        while (true)
        {
            var sweep = await client.GetSweepAsync(new GetSweepRequest { SweepId = submitted.Sweep.Id });
            if (sweep.State is not (SweepState.Running or SweepState.Paused))
            {
                return sweep.Id;
            }

            await Task.Delay(1000);
        }
    }

    /// <summary>A warm-up load, then <paramref name="runs"/> fresh pages: the browser's first contentful paint and the time until plotly.js has finished drawing every chart.</summary>
    private static async Task<List<PageTimes>> MeasureAsync(IBrowser browser, Uri dashboard, string sweepId, int runs)
    {
        var times = new List<PageTimes>();
        for (var run = 0; run <= runs; run++)
        {
            var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1400, Height = 1000 } });
            // Notes when plotly.js has been evaluated: its bundle ends by assigning window.Plotly.
            await page.AddInitScriptAsync(
                "Object.defineProperty(window, 'Plotly', { configurable: true, get() { return undefined; }, set(v) { window.__plotlyAt = performance.now(); Object.defineProperty(window, 'Plotly', { value: v, writable: true, configurable: true }); } });");
            var clock = Stopwatch.StartNew();
            await page.GotoAsync(new Uri(dashboard, $"sweeps/{sweepId}").ToString(), new PageGotoOptions { WaitUntil = WaitUntilState.Commit });
            await page.Locator("[data-testid=sweep-progress]").WaitForAsync(new LocatorWaitForOptions { Timeout = 60_000 });
            var visible = clock.Elapsed.TotalMilliseconds;
            await page.WaitForFunctionAsync(
                "() => ['learning-curves', 'cell-boxes', 'parallel-coordinates', 'importance', 'marginal'].every(id => { const gd = document.getElementById(id); return gd && gd.data && gd.data.length > 0 && gd.dataset.drawn; })",
                null, new PageWaitForFunctionOptions { Timeout = 120_000, PollingInterval = 20 });
            var charts = clock.Elapsed.TotalMilliseconds;
            var paint = await page.EvaluateAsync<double>("() => (performance.getEntriesByName('first-contentful-paint')[0] || { startTime: -1 }).startTime");
            var plotly = await page.EvaluateAsync<double[]>(
                "() => { const r = performance.getEntriesByType('resource').find(e => /plotly-rnnlab/.test(e.name)); return [r ? r.startTime : -1, r ? r.responseEnd : -1, window.__plotlyAt || -1]; }");
            // Per chart: when the circuit asked for the draw, and when plotly.js finished it (the last draw of each).
            var draws = await page.EvaluateAsync<ChartDraw[]>(
                "() => { const m = {}; for (const e of performance.getEntriesByType('measure')) { const p = /^chart (.+) (waited|drawn)$/.exec(e.name); if (!p) continue; const d = m[p[1]] = m[p[1]] || { id: p[1] }; if (p[2] === 'waited') d.asked = e.startTime; else d.drawn = e.startTime + e.duration; } return Object.values(m); }");
            await page.CloseAsync();
            if (run > 0)
            {
                times.Add(new PageTimes(paint, visible, charts, plotly[0], plotly[1], plotly[2], draws));
            }
        }

        return times;
    }

    private static void Print(string label, List<PageTimes> times) =>
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"dashboard: {label}: first contentful paint {Median(times.Select(t => t.FirstContent)):F0} ms (browser), progress visible {Median(times.Select(t => t.Visible)):F0} ms, all charts drawn {Median(times.Select(t => t.Charts)):F0} ms; plotly.js requested {Median(times.Select(t => t.PlotlyRequested)):F0} ms, downloaded {Median(times.Select(t => t.PlotlyDownloaded)):F0} ms, evaluated {Median(times.Select(t => t.PlotlyEvaluated)):F0} ms (medians of {times.Count})"));

    private static void PrintDraws(string label, List<PageTimes> times)
    {
        var parts = times.SelectMany(t => t.Draws).GroupBy(d => d.Id).OrderBy(g => Median(g.Select(d => d.Drawn))).Select(g =>
            string.Create(CultureInfo.InvariantCulture, $"{g.Key} asked {Median(g.Select(d => d.Asked)):F0}, drawn {Median(g.Select(d => d.Drawn)):F0}"));
        Console.WriteLine($"dashboard: {label}: chart draws, ms from navigation (medians): {string.Join("; ", parts)}");
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }

    private static int IntOption(string[] args, string name, int fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length && int.TryParse(args[i + 1], CultureInfo.InvariantCulture, out var value) ? value : fallback;
    }

    /// <summary>Milliseconds from navigation; the plotly.js times are the browser's own (resource timing, window.Plotly assigned).</summary>
    private sealed record PageTimes(double FirstContent, double Visible, double Charts, double PlotlyRequested, double PlotlyDownloaded, double PlotlyEvaluated, ChartDraw[] Draws);

    /// <summary>One chart's last draw: asked for by the circuit, finished by plotly.js (ms from navigation).</summary>
    private sealed class ChartDraw
    {
        public string Id { get; set; } = "";
        public double Asked { get; set; }
        public double Drawn { get; set; }
    }
}
